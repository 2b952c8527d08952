using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// Expands an <see cref="ArchSpec"/> into the whole SAM2 model as the official code builds it: layers in
/// <c>SAM2Base</c> registration order (own parameters, then <c>image_encoder, mask_downsample, memory_attention,
/// memory_encoder, sam_prompt_encoder, sam_mask_decoder, obj_ptr_proj, obj_ptr_tpos_proj</c>), which is also
/// the order of <c>state_dict()</c> keys. The one source of layer names and shapes for the model builder,
/// quantizer, packer and generator.
/// </summary>
public static class ArchExpansion
{
    /// <summary>One click plus the padding point the prompt encoder appends.</summary>
    public const int DefaultSparsePromptTokens = 2;

    /// <summary>
    /// MACs of <c>masks = hyper_in @ upscaled_embedding</c> in <c>MaskDecoder.predict_masks</c>: a matmul with no
    /// module of its own (so not in <see cref="ExpandedArch.Layers"/>) but counted in the decoder's MACs.
    /// </summary>
    public static long MaskProductMacs(ArchSpec spec, int embeddingSize)
    {
        long side = 4L * embeddingSize;
        return (spec.MaskDecoder.NumMultimaskOutputs + 1L) * (spec.HiddenDim / 8) * side * side;
    }

    /// <summary>Expands <paramref name="spec"/>; throws <see cref="SpecException"/> if it is invalid (at <paramref name="imageSize"/>).</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="imageSize">Input side for shapes and MACs; default <see cref="ArchSpec.ImageSize"/>. Parameters do not depend on it.</param>
    /// <param name="sparsePromptTokens">Sparse prompt tokens assumed for decoder shapes/MACs.</param>
    public static ExpandedArch Expand(ArchSpec spec, int? imageSize = null, int sparsePromptTokens = DefaultSparsePromptTokens)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        if (sparsePromptTokens < 0) throw new ArgumentOutOfRangeException(nameof(sparsePromptTokens), sparsePromptTokens, "must be >= 0");
        int size = imageSize ?? spec.ImageSize;
        ArchSpecValidator.ThrowIfInvalid(spec, size);
        try
        {
            return Build(spec, size, sparsePromptTokens);
        }
        catch (OverflowException)
        {
            // Only reachable near ArchLimits: counts no longer fit 64 bits.
            throw new SpecException(SpecErrorCodes.InvalidValue,
                $"the model is too large to expand at image size {size}: its MAC counts overflow 64 bits",
                string.IsNullOrEmpty(spec.Name) ? "<arch spec>" : spec.Name + ArchSpecReader.FileSuffix, TextPosition.Start);
        }
    }

    private static ExpandedArch Build(ArchSpec spec, int size, int sparsePromptTokens)
    {

        int e = size / spec.BackboneStride;
        var blocks = HieraSchedule.Build(spec.Trunk, size);
        var stages = HieraSchedule.Stages(spec.Trunk, blocks, size);
        var b = new LayerListBuilder();
        int d = spec.HiddenDim;
        int mem = spec.MemDim;
        bool sam21 = spec.IsSam21;

        b.Tensor("maskmem_tpos_enc", new[] { spec.NumMaskmem, 1, 1, mem });
        b.Tensor("no_mem_embed", new[] { 1, 1, d });
        b.Tensor("no_mem_pos_enc", new[] { 1, 1, d });
        // Exists when pred_obj_scores and use_obj_ptrs_in_encoder (always on in SAM2 configs).
        if (spec.MaskDecoder.PredObjScores) b.Tensor("no_obj_ptr", new[] { 1, d });
        if (sam21) b.Tensor("no_obj_embed_spatial", new[] { 1, mem });

        TrunkExpander.Expand(b, spec, size, blocks);
        NeckExpander.Expand(b, spec, stages);
        b.Conv2d("mask_downsample", 1, 1, 4, 4, 0, size, size);
        // Memory attention shapes: one spatial memory frame plus one object pointer split into d/mem tokens.
        MemoryAttentionExpander.Expand(b, spec, e, e * e + d / mem);
        MemoryEncoderExpander.Expand(b, spec, size, e);
        PromptEncoderExpander.Expand(b, spec, e);
        MaskDecoderExpander.Expand(b, spec, e, sparsePromptTokens, stages);
        b.Mlp("obj_ptr_proj", new[] { 1, 1, d }, d, d, d, 3, LayerActivation.Relu);
        if (sam21) b.Linear("obj_ptr_tpos_proj", new[] { 1, 1, d }, d, mem);

        var layers = b.Layers;
        var inventory = layers.SelectMany(l => l.Parameters)
            .Select(p => new StateDictEntry(p.Key, p.Shape, ModelComponents.OfKey(p.Key), p.IsBuffer))
            .ToArray();
        var components = ((ModelComponent[])Enum.GetValues(typeof(ModelComponent)))
            .Select(c => new ComponentParameterCount(c, ModelComponents.Prefix(c),
                inventory.Where(x => x.Component == c).Sum(x => x.ElementCount),
                inventory.Count(x => x.Component == c)))
            .ToArray();

        long highRes = layers.Where(l => l.Name == "sam_mask_decoder.conv_s0" || l.Name == "sam_mask_decoder.conv_s1").Sum(l => l.Macs);
        long maskPath = layers.Where(l => l.Name.StartsWith("sam_prompt_encoder.mask_downscaling.", StringComparison.Ordinal)).Sum(l => l.Macs);
        var macs = new MacSummary(
            Trunk: b.MacsOf(ModelComponent.Trunk),
            Neck: b.MacsOf(ModelComponent.Neck),
            HighResProjections: highRes,
            PromptEncoderMaskPath: maskPath,
            MaskDecoder: b.MacsOf(ModelComponent.MaskDecoder) - highRes + MaskProductMacs(spec, e),
            MemoryEncoder: b.MacsOf(ModelComponent.MemoryEncoder),
            MemoryAttention: b.MacsOf(ModelComponent.MemoryAttention),
            TopLevelHeads: b.MacsOf(ModelComponent.TopLevel));

        return new ExpandedArch
        {
            Spec = spec,
            ImageSize = size,
            EmbeddingSize = e,
            SparsePromptTokens = sparsePromptTokens,
            Blocks = blocks,
            Stages = stages,
            Layers = layers.ToArray(),
            StateDictInventory = inventory,
            ComponentParameterCounts = components,
            TotalParameters = inventory.Sum(x => x.ElementCount),
            Macs = macs,
        };
    }
}
