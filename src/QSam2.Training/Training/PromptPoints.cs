namespace QSam2.Training.Training;

/// <summary>
/// Point labels of SAM2's prompt encoder: 0 negative click, 1 positive click, 2/3 box corners.
/// </summary>
public static class PointLabels
{
    public const int Negative = 0;
    public const int Positive = 1;
    public const int BoxTopLeft = 2;
    public const int BoxBottomRight = 3;
}

/// <summary>
/// One object's prompt as SAM2's predictors pass it to the prompt encoder: points in model-input pixels
/// (x, y interleaved) with their labels, box corners first. No padding point: the prompt encoder adds it.
/// </summary>
public sealed record PromptPoints(float[] Xy, int[] Labels)
{
    public int Count => Labels.Length;

    /// <summary>True when the prompt holds a box (labels 2 and 3).</summary>
    public bool HasBox => Array.IndexOf(Labels, PointLabels.BoxTopLeft) >= 0;

    /// <summary>A copy with one more click appended (a correction click).</summary>
    public PromptPoints Append(float x, float y, int label) =>
        new(Xy.Concat(new[] { x, y }).ToArray(), Labels.Append(label).ToArray());

    /// <summary>A box prompt: two corner points labelled 2 and 3.</summary>
    public static PromptPoints Box(float x0, float y0, float x1, float y1) =>
        new(new[] { x0, y0, x1, y1 }, new[] { PointLabels.BoxTopLeft, PointLabels.BoxBottomRight });
}
