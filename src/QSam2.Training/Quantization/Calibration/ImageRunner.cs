using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>Runs the image encoder on one preprocessed image without gradients (calibration passes).</summary>
public static class ImageRunner
{
    public static void Encode(Sam2Model model, float[] input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        int s = model.Spec.ImageSize;
        if (input.Length != 3 * s * s) throw new ArgumentException($"image input has {input.Length} values, expected 3x{s}x{s}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = model.parameters().First().device;
        var x = tensor(input, new long[] { 1, 3, s, s }, dtype: ScalarType.Float32, device: device);
        using var features = model.ForwardImage(x);
    }
}
