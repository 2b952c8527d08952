namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The compile-time facts a generated segmenter hands its base class: model sizes, the dynamic-multimask settings,
/// and where in the arena the base finds the buffers it fills (image input, sparse tokens, mask input) and reads
/// (image embedding, mask logits, IoU, object score).
/// </summary>
public sealed record Sam2SegmenterInfo
{
    public string Name { get; init; } = "";
    public int ImageSize { get; init; }
    public int EmbeddingSize { get; init; }
    public int HiddenDim { get; init; }

    /// <summary>Side of the low-res mask logits (4 × embedding size).</summary>
    public int LowResSize { get; init; }

    /// <summary>Mask tokens (multimask outputs + 1).</summary>
    public int MaskTokens { get; init; }

    /// <summary>Most points (clicks + box corners) per prompt the arena was planned for.</summary>
    public int MaxPromptPoints { get; init; }

    public bool DynamicMultimaskViaStability { get; init; }
    public float StabilityDelta { get; init; }
    public float StabilityThreshold { get; init; }

    public long ArenaBytes { get; init; }
    public long ImageInputOffset { get; init; }
    public long ImageEmbedOffset { get; init; }

    /// <summary>Where the sparse prompt tokens go (after the decoder's output tokens).</summary>
    public long SparseTokensOffset { get; init; }

    public long MaskInputOffset { get; init; }
    public long MasksOffset { get; init; }
    public long IouOffset { get; init; }

    /// <summary>-1 when the model has no object-score head.</summary>
    public long ObjectScoreOffset { get; init; }
}
