using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using static QSam2.Spec.Arch.Validation.ValidationContext;

namespace QSam2.Spec.Arch.Validation;

/// <summary>
/// Rules that depend on the input side: stride chain, window tiling and padding, FPN level sizes, and the
/// sizes the heads expect. Only run on a structurally valid spec.
/// </summary>
internal static class SizeRules
{
    public static void Check(ValidationContext ctx, ArchSpec spec, int size)
    {
        var t = spec.Trunk;
        string at = size == spec.ImageSize ? "" : $" at image size {I(size)}";
        int qs = t.QStride[0];
        long chain = t.PatchStride;
        for (int i = 0; i < t.QPool && chain <= ArchLimits.MaxImageSize; i++) chain *= qs; // saturates: only compared with the size
        ctx.Positive("backbone_stride", spec.BackboneStride);
        if (size <= 0 || size > ArchLimits.MaxImageSize)
        {
            ctx.Invalid("image_size", $"image size must be between 1 and {I(ArchLimits.MaxImageSize)}, got {I(size)}");
            return;
        }
        if (spec.BackboneStride > ArchLimits.MaxSpatial) ctx.AtMost("backbone_stride", spec.BackboneStride, ArchLimits.MaxSpatial);
        if (size % chain != 0)
        {
            ctx.Error(SpecErrorCodes.ImageSizeMismatch, "image_size",
                $"image size {I(size)} must be a multiple of {I(chain)} (patch stride {I(t.PatchStride)} × q_stride {I(qs)}^q_pool {I(t.QPool)})");
            return;
        }
        if (HieraSchedule.PatchEmbedSize(t, size) * t.PatchStride != size)
        {
            ctx.Error(SpecErrorCodes.ImageSizeMismatch, "trunk.patch_kernel_size",
                $"the patch embedding (kernel {I(t.PatchKernelSize)}, stride {I(t.PatchStride)}, padding {I(t.PatchPadding)}) must map {I(size)} pixels to {I(size / t.PatchStride)} tokens{at}");
            return;
        }
        var blocks = HieraSchedule.Build(t, size);
        var stages = HieraSchedule.Stages(t, blocks, size);
        int stage1 = blocks[0].InHeight;
        if (stage1 % t.WindowSpec[0] != 0)
        {
            ctx.Error(SpecErrorCodes.ImageSizeMismatch, "trunk.window_spec[0]",
                $"'trunk.window_spec[0]' = {I(t.WindowSpec[0])} must divide the {I(stage1)}×{I(stage1)} stage-1 map{at}: pos_embed_window is tiled over it");
        }
        var reported = new HashSet<int>();
        foreach (var b in blocks)
        {
            if (b.WindowSize <= 0) continue;
            // The window of the first block of a stage comes from the previous stage's window_spec entry.
            bool firstOfStage = b.Index > 0 && blocks[b.Index - 1].IsStageEnd;
            int specIndex = firstOfStage ? b.Stage - 2 : b.Stage - 1;
            var path = Item("trunk.window_spec", specIndex);
            if ((b.WindowSize > b.InHeight || b.WindowSize > b.InWidth) && reported.Add(specIndex))
            {
                ctx.Error(SpecErrorCodes.ImageSizeMismatch, path,
                    $"window {I(b.WindowSize)} of block {I(b.Index)} is larger than its {I(b.InHeight)}×{I(b.InWidth)} map{at}; use a smaller window or make the block global");
            }
            if (b.IsQPool && b.WindowSize % qs != 0 && reported.Add(specIndex))
            {
                ctx.Error(SpecErrorCodes.ImageSizeMismatch, path,
                    $"window {I(b.WindowSize)} of q-pool block {I(b.Index)} must be a multiple of the q-stride {I(qs)} (queries are pooled inside each window)");
            }
        }
        foreach (var b in blocks.Where(b => b.IsQPool))
        {
            if (b.InHeight % qs != 0 || b.InWidth % qs != 0)
            {
                ctx.Error(SpecErrorCodes.ImageSizeMismatch, "image_size",
                    $"q-pool block {I(b.Index)} pools a {I(b.InHeight)}×{I(b.InWidth)} map by {I(qs)}{at}; the map must divide evenly");
            }
        }

        var neck = spec.Neck;
        int levels = stages.Count;
        if (neck.BackboneChannelList.Count != levels) return;
        foreach (var l in neck.FpnTopDownLevels)
        {
            if (l < 0 || l >= levels - 1) continue;
            if (stages[l].Height != 2 * stages[l + 1].Height || stages[l].Width != 2 * stages[l + 1].Width)
            {
                ctx.Error(SpecErrorCodes.ImageSizeMismatch, "neck.fpn_top_down_levels",
                    $"FPN level {I(l)} ({I(stages[l].Height)}×{I(stages[l].Width)}) gets the ×2 upsampled level {I(l + 1)} ({I(stages[l + 1].Height)}×{I(stages[l + 1].Width)}){at}; sizes must differ by exactly 2 (set q_pool so every stage halves the map)");
            }
        }
        if (spec.BackboneStride <= 0 || neck.Scalp < 0 || neck.Scalp >= levels) return;
        var embed = stages[levels - 1 - neck.Scalp];
        int e = size / spec.BackboneStride;
        if (size % spec.BackboneStride != 0 || embed.Height != e)
        {
            ctx.Error(SpecErrorCodes.ImageSizeMismatch, "backbone_stride",
                $"the image embedding is FPN level {I(levels - 1 - neck.Scalp)} ({I(embed.Height)}×{I(embed.Width)}, stride {I(embed.Stride)}){at}, but 'backbone_stride' = {I(spec.BackboneStride)} implies {I(size)}/{I(spec.BackboneStride)}");
            return;
        }
        if (spec.MaskDecoder.UseHighResFeatures && levels - neck.Scalp >= 3
            && (stages[0].Height != 4 * e || stages[1].Height != 2 * e))
        {
            ctx.Error(SpecErrorCodes.ImageSizeMismatch, "mask_decoder.use_high_res_features",
                $"high-res features need FPN levels 0 and 1 at 4× and 2× the {I(e)}×{I(e)} embedding, got {I(stages[0].Height)} and {I(stages[1].Height)}{at}");
        }
        var me = spec.MemoryEncoder;
        if (me.MaskDownsamplerStride >= 2 && me.MaskDownsamplerKernelSize > 0 && me.MaskDownsamplerPadding >= 0)
        {
            int s = size;
            int layers = MemoryEncoderExpander.DownsamplerLayers(me);
            for (int i = 0; i < layers && s > 0; i++) s = LayerListBuilder.ConvOut(s, me.MaskDownsamplerKernelSize, me.MaskDownsamplerStride, me.MaskDownsamplerPadding);
            if (s != e)
            {
                ctx.Error(SpecErrorCodes.ImageSizeMismatch, "memory_encoder.mask_downsampler_kernel_size",
                    $"the mask downsampler (kernel {I(me.MaskDownsamplerKernelSize)}, stride {I(me.MaskDownsamplerStride)}, padding {I(me.MaskDownsamplerPadding)}, {I(layers)} convs) maps the {I(size)}² mask to {I(s)}², not to the {I(e)}² embedding{at}");
            }
        }
    }
}
