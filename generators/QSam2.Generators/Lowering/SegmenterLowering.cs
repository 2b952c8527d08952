using QSam2.Generators.Diagnostics;
using QSam2.Generators.Model;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Lowering;

/// <summary>
/// Lowering entry point: expands the architecture, resolves the quant spec against its weight layers, checks that a
/// kernel exists for every layer, lowers the image and prompt paths into steps and kernel units, plans the arena and
/// returns the fully decided <see cref="SegmenterModel"/>. Problems become diagnostics located in the spec files.
/// </summary>
internal static class SegmenterLowering
{
    /// <summary>Most points (clicks + 2 box corners) one prompt may carry; sizes the decoder's token buffers.</summary>
    public const int MaxPromptPoints = 64;

    public static LoweringResult Lower(SegmenterInput input, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>(input.Diagnostics);
        var archFile = input.Arch;
        if (diagnostics.Count > 0 || archFile?.Arch is null || (input.Request.QuantFile != null && input.Quant?.Quant is null))
            return new LoweringResult(null, diagnostics.ToArray());

        ExpandedArch arch;
        try
        {
            arch = ArchExpansion.Expand(archFile.Arch);
        }
        catch (SpecException e)
        {
            diagnostics.AddRange(e.Diagnostics.Select(d => DiagnosticInfo.FromSpec(d, archFile.Path)));
            return new LoweringResult(null, diagnostics.ToArray());
        }
        cancellationToken.ThrowIfCancellationRequested();

        QuantResolution? resolution = null;
        var quantFile = input.Quant;
        if (quantFile?.Quant is { } quant)
        {
            resolution = QuantResolver.Resolve(quant, quantFile.Path, archFile.Arch.Name, archFile.ArchSha256, ImagePathStructure.QuantTargets(arch));
            diagnostics.AddRange(resolution.Diagnostics.Select(d => DiagnosticInfo.FromSpec(d, quantFile.Path)));
            foreach (var layer in resolution.Layers)
            {
                var problem = KernelSelector.Unsupported(layer.Target.Name, layer.Quant, (int)layer.Target.ReductionSize);
                if (problem != null)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.NoKernel, problem,
                        LocationInfo.InSpecFile(quantFile.Path, layer.SourcePosition, layer.SourceLength)));
                }
            }
            if (diagnostics.Count > 0) return new LoweringResult(null, diagnostics.ToArray());
        }

        var ctx = new LoweringContext(input.Request, arch, resolution, MaxPromptPoints);
        var image = ImagePathLowering.Build(ctx);
        var prompt = PromptPathLowering.Build(ctx, image);
        cancellationToken.ThrowIfCancellationRequested();

        // Registered before the model is built so its parameter list includes the Fourier matrix.
        string densePe = $"Sam2Ops.DensePositionalEncoding({ctx.Parameter("sam_prompt_encoder.pe_layer.positional_encoding_gaussian_matrix")}, {arch.EmbeddingSize})";
        var program = ctx.Program;
        long arenaBytes = ArenaPlanner.Plan(program.Buffers, program.StepCount);
        if (!ArenaPlanner.IsValid(program.Buffers)) throw new InvalidOperationException("arena plan has overlapping live buffers");
        var (steps, units) = program.Finish();

        string description = Describe(arch, quantFile?.Quant, resolution);
        var layout = ImagePathStructure.Layout(arch, resolution, description);
        var md = arch.Spec.MaskDecoder;
        var model = new SegmenterModel
        {
            Namespace = input.Request.Namespace,
            ClassName = input.Request.ClassName,
            Accessibility = input.Request.Accessibility,
            ArchName = arch.Spec.Name,
            QuantName = quantFile?.Quant?.Name ?? "",
            Description = description,
            StructureHashHex = layout.StructureHashHex,
            QswTensors = layout.Tensors,
            ImageSize = arch.ImageSize,
            EmbeddingSize = arch.EmbeddingSize,
            HiddenDim = arch.Spec.HiddenDim,
            LowResSize = 4 * arch.EmbeddingSize,
            MaskTokens = md.NumMultimaskOutputs + 1,
            MaxPromptPoints = MaxPromptPoints,
            DynamicMultimaskViaStability = md.DynamicMultimaskViaStability,
            StabilityDelta = (float)md.DynamicMultimaskStabilityDelta,
            StabilityThreshold = (float)md.DynamicMultimaskStabilityThresh,
            IouSigmoid = md.IouPredictionUseSigmoid,
            OutputTokens = ctx.OutputTokens,
            PosEmbedExpression = image.PosEmbedExpression,
            DensePeExpression = densePe,
            ArenaBytes = arenaBytes,
            ImageInputOffset = image.Image.Offset,
            ImageEmbedOffset = image.Embed.Offset,
            TokensOffset = prompt.Tokens.Offset + 4L * ctx.OutputTokens * arch.Spec.HiddenDim,
            MaskInputOffset = prompt.MaskInput.Offset,
            MasksOffset = prompt.Masks.Offset,
            IouOffset = prompt.Iou.Offset,
            ObjectScoreOffset = md.PredObjScores ? prompt.ObjectScore.Offset : -1,
            Macs = units.Sum(u => u.Kernel.Macs),
            Parameters = ctx.Parameters.ToArray(),
            Layers = units.ToArray(),
            ImageSteps = steps[Section.Image].ToArray(),
            MaskPromptSteps = steps[Section.MaskPrompt].ToArray(),
            NoMaskPromptSteps = steps[Section.NoMaskPrompt].ToArray(),
            DecoderImageSideSteps = steps[Section.DecoderImageSide].ToArray(),
            DecoderSteps = steps[Section.Decoder].ToArray(),
            Buffers = program.Buffers.Select(b => new PlannedBuffer(b.Name, b.Bytes, b.Offset, b.First, b.Last)).ToArray(),
        };
        return new LoweringResult(model, diagnostics.ToArray());
    }

    private static string Describe(ExpandedArch arch, QuantSpec? quant, QuantResolution? resolution)
    {
        if (quant is null || resolution is null) return arch.Spec.Name + " FP32";
        var counts = resolution.Layers.GroupBy(l => l.Quant.Describe()).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key + " ×" + g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return arch.Spec.Name + " " + quant.Name + " (" + string.Join(", ", counts) + ")";
    }
}
