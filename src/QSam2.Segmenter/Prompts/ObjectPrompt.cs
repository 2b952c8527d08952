using QSam2.Runtime.Segmenters;

namespace QSam2.Segmenter.Prompts;

/// <summary>A click in original-image pixels; label 1 = foreground, 0 = background. <see cref="Source"/> names it in messages.</summary>
public readonly record struct PromptPoint(float X, float Y, int Label, string Source);

/// <summary>A box x0,y0,x1,y1 (XYXY) in original-image pixels. <see cref="Source"/> names it in messages.</summary>
public sealed record PromptBox(float X0, float Y0, float X1, float Y1, string Source);

/// <summary>
/// Everything that prompts one object: at most one box plus any clicks (SAM2ImagePredictor.predict takes one box per
/// call). Each object becomes one <see cref="Sam2SegmenterBase.Predict(Sam2Prompt)"/> on the shared image embedding.
/// </summary>
public sealed record ObjectPrompt(PromptBox? Box, IReadOnlyList<PromptPoint> Points, string Source)
{
    /// <summary>Box corners count as two prompt points, as in the decoder.</summary>
    public int PromptPointCount => (Box is null ? 0 : 2) + Points.Count;

    public Sam2Prompt ToSam2Prompt(bool multimask)
    {
        var coords = new float[Points.Count * 2];
        var labels = new int[Points.Count];
        for (int i = 0; i < Points.Count; i++)
        {
            coords[2 * i] = Points[i].X;
            coords[2 * i + 1] = Points[i].Y;
            labels[i] = Points[i].Label;
        }
        return new Sam2Prompt
        {
            PointCoords = Points.Count == 0 ? null : coords,
            PointLabels = Points.Count == 0 ? null : labels,
            Box = Box is null ? null : new[] { Box.X0, Box.Y0, Box.X1, Box.Y1 },
            MultimaskOutput = multimask,
        };
    }
}
