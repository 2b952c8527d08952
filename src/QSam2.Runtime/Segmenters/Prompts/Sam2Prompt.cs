namespace QSam2.Runtime.Segmenters;

/// <summary>
/// One prompt for <see cref="Sam2SegmenterBase.Predict(Sam2Prompt)"/>, shaped like SAM2ImagePredictor.predict:
/// points (x, y pairs) with labels (1 foreground, 0 background), an optional XYXY box, an optional low-res mask
/// (logits, LowResSize², e.g. a previous result's <see cref="PredictionResult.LowResLogits"/> slice), and the
/// multimask / logits / coordinate-normalization switches.
/// </summary>
public sealed record Sam2Prompt
{
    /// <summary>Point coordinates, N×2 row-major (x, y); in original-image pixels when <see cref="NormalizeCoords"/>.</summary>
    public float[]? PointCoords { get; init; }

    /// <summary>N labels: 1 = foreground, 0 = background.</summary>
    public int[]? PointLabels { get; init; }

    /// <summary>Box [x0, y0, x1, y1].</summary>
    public float[]? Box { get; init; }

    /// <summary>Low-res mask logits [LowResSize × LowResSize].</summary>
    public float[]? MaskInput { get; init; }

    /// <summary>Three candidate masks (true) or one (false, with the stability fallback).</summary>
    public bool MultimaskOutput { get; init; } = true;

    /// <summary>Return the upsampled logits in <see cref="PredictionResult.MaskLogits"/> as well as the binary masks.</summary>
    public bool ReturnLogits { get; init; }

    /// <summary>Coordinates are original-image pixels (true) or relative [0, 1] (false).</summary>
    public bool NormalizeCoords { get; init; } = true;
}
