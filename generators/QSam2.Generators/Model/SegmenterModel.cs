using QSam2.Spec.Quant.Qsw;

namespace QSam2.Generators.Model;

/// <summary>
/// Everything the emitters print for one segmenter: identity, constants, the expected <c>.qsw</c> layout, the
/// parameter fields, the weight layers (as <see cref="LayerUnit"/>s), the arena plan and the image and prompt paths
/// as step lists. Fully decided by lowering; holds no locations and no Roslyn objects.
/// Must stay immutable and structurally equatable: incremental caching compares it.
/// </summary>
public sealed record SegmenterModel
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";
    public string Accessibility { get; init; } = "internal";

    public string ArchName { get; init; } = "";
    public string QuantName { get; init; } = "";

    /// <summary>E.g. <c>sam2_mini FP32</c> or <c>sam2.1_hiera_t W4A8 (per_channel)</c>.</summary>
    public string Description { get; init; } = "";

    public string StructureHashHex { get; init; } = "";
    public EquatableArray<QswTensorInfo> QswTensors { get; init; } = EquatableArray<QswTensorInfo>.Empty;

    public int ImageSize { get; init; }
    public int EmbeddingSize { get; init; }
    public int HiddenDim { get; init; }
    public int LowResSize { get; init; }
    public int MaskTokens { get; init; }
    public int MaxPromptPoints { get; init; }
    public bool DynamicMultimaskViaStability { get; init; }
    public float StabilityDelta { get; init; }
    public float StabilityThreshold { get; init; }
    public bool IouSigmoid { get; init; }

    /// <summary>Decoder output tokens in front of the sparse prompt tokens.</summary>
    public int OutputTokens { get; init; }

    /// <summary>C# expressions computing the load-time constants (Hiera positional embedding, dense prompt PE).</summary>
    public string PosEmbedExpression { get; init; } = "";
    public string DensePeExpression { get; init; } = "";

    public long ArenaBytes { get; init; }
    public long ImageInputOffset { get; init; }
    public long ImageEmbedOffset { get; init; }
    public long TokensOffset { get; init; }
    public long MaskInputOffset { get; init; }
    public long MasksOffset { get; init; }
    public long IouOffset { get; init; }
    public long ObjectScoreOffset { get; init; }

    public long Macs { get; init; }

    public EquatableArray<ParameterField> Parameters { get; init; } = EquatableArray<ParameterField>.Empty;
    public EquatableArray<LayerUnit> Layers { get; init; } = EquatableArray<LayerUnit>.Empty;
    public EquatableArray<Step> ImageSteps { get; init; } = EquatableArray<Step>.Empty;
    public EquatableArray<Step> MaskPromptSteps { get; init; } = EquatableArray<Step>.Empty;
    public EquatableArray<Step> NoMaskPromptSteps { get; init; } = EquatableArray<Step>.Empty;
    public EquatableArray<Step> DecoderImageSideSteps { get; init; } = EquatableArray<Step>.Empty;
    public EquatableArray<Step> DecoderSteps { get; init; } = EquatableArray<Step>.Empty;
    public EquatableArray<PlannedBuffer> Buffers { get; init; } = EquatableArray<PlannedBuffer>.Empty;

    /// <summary>The per-layer units (one generated file each).</summary>
    public ImmutableArray<LayerUnit> LayerUnits() => Layers.ToImmutableArray();
}
