using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Runs the image path on one preprocessed image without gradients, for calibration passes. Calibration images have
/// no labels, so the decoder gets fixed, label-free prompts that exercise every weight layer: a 4×4 grid of single
/// positive clicks (multimask output), four boxes (the quadrants, single mask), and the boxes again with the previous
/// low-res logits as mask prompt (SAM's refinement input, which runs the prompt encoder's mask downscaling convs).
/// </summary>
public static class ImageRunner
{
    public const int GridSide = 4;

    /// <param name="withDecoder">false: only the image encoder (trunk + neck) runs.</param>
    public static void Run(Sam2Model model, float[] input, bool withDecoder = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        int s = model.Spec.ImageSize;
        if (input.Length != 3 * s * s) throw new ArgumentException($"image input has {input.Length} values, expected 3x{s}x{s}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var x = tensor(input, new long[] { 1, 3, s, s }, dtype: ScalarType.Float32, device: device);
        var features = model.ForwardImage(x);
        if (!withDecoder) return;

        var clicks = new float[GridSide * GridSide * 2];
        for (int j = 0; j < GridSide; j++)
            for (int i = 0; i < GridSide; i++)
            {
                clicks[((j * GridSide) + i) * 2] = (i + 0.5f) * s / GridSide;
                clicks[(((j * GridSide) + i) * 2) + 1] = (j + 0.5f) * s / GridSide;
            }
        var clickCoords = tensor(clicks, new long[] { GridSide * GridSide, 1, 2 }, device: device);
        var clickLabels = ones(new long[] { GridSide * GridSide, 1 }, dtype: ScalarType.Int32, device: device);
        model.PredictMasks(features, clickCoords, clickLabels, null, multimaskOutput: true);

        float h = s / 2f;
        var boxes = tensor(new float[]
        {
            0, 0, h, h,  h, 0, s - 1, h,  0, h, h, s - 1,  h, h, s - 1, s - 1,
        }, new long[] { 4, 2, 2 }, device: device);
        var boxLabels = tensor(new[] { 2, 3, 2, 3, 2, 3, 2, 3 }, new long[] { 4, 2 }, dtype: ScalarType.Int32, device: device);
        var first = model.PredictMasks(features, boxes, boxLabels, null, multimaskOutput: false);
        model.PredictMasks(features, boxes, boxLabels, first.Masks, multimaskOutput: false);
    }
}
