namespace QSam2.Runtime.Segmenters;

/// <summary>
/// What <see cref="Sam2SegmenterBase.Predict(Sam2Prompt)"/> returns for one prompt (SAM2ImagePredictor.predict's
/// tuple): C masks at the original image size, their predicted IoU, and the low-res logits clamped to ±32.
/// </summary>
public sealed record PredictionResult
{
    /// <summary>Number of masks C (3 with multimask output, otherwise 1).</summary>
    public int Count { get; init; }

    public int Height { get; init; }
    public int Width { get; init; }

    /// <summary>Binary masks [C, H, W] as 0/1 (logits &gt; mask threshold).</summary>
    public byte[] Masks { get; init; } = Array.Empty<byte>();

    /// <summary>Upsampled mask logits [C, H, W] when requested, otherwise empty.</summary>
    public float[] MaskLogits { get; init; } = Array.Empty<float>();

    /// <summary>Predicted IoU per mask [C].</summary>
    public float[] IouPredictions { get; init; } = Array.Empty<float>();

    /// <summary>Low-res logits [C, L, L] clamped to [−32, 32] (feed back as a mask input).</summary>
    public float[] LowResLogits { get; init; } = Array.Empty<float>();

    public int LowResSize { get; init; }

    /// <summary>Indices of the chosen decoder mask tokens (1..3 for multimask; 0 or the stability fallback otherwise).</summary>
    public int[] TokenIndices { get; init; } = Array.Empty<int>();

    /// <summary>The object-score logit (&gt; 0: object present); the image predictor does not use it.</summary>
    public float ObjectScoreLogit { get; init; }

    /// <summary>Mask <paramref name="index"/>'s low-res logits, ready to pass as <see cref="Sam2Prompt.MaskInput"/>.</summary>
    public float[] LowResMask(int index) => LowResLogits.AsSpan(index * LowResSize * LowResSize, LowResSize * LowResSize).ToArray();
}
