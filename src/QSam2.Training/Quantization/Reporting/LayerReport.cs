using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>
/// One weight layer in the quantization report: its decided quantization, the error it brings (weight SQNR of the
/// exported codes against the weight they quantize, input SQNR on the calibration sample), the exported input range,
/// what VRC did to it, and — for the layers measured — the mIoU drop when only this layer is quantized.
/// </summary>
public sealed record LayerReport
{
    public required string Name { get; init; }

    /// <summary>Linear, Conv2d or ConvTranspose2d.</summary>
    public required string Kind { get; init; }

    public required int[] WeightShape { get; init; }

    /// <summary>E.g. <c>W4A8 per_channel</c> or <c>float</c>.</summary>
    public required string Quantization { get; init; }

    public bool KeepFloat { get; init; }

    public int WeightBits { get; init; } = 32;

    public int ActivationBits { get; init; } = 32;

    public string WeightQuantizer { get; init; } = "";

    public string ActivationQuantizer { get; init; } = "";

    public double WeightSqnrDb { get; init; } = double.NaN;

    public double ActivationSqnrDb { get; init; } = double.NaN;

    public float InputScale { get; init; }

    public int InputZeroPoint { get; init; }

    public float InputLo { get; init; }

    public float InputHi { get; init; }

    public float ClipMin { get; init; }

    public float ClipMax { get; init; }

    public VrcLayerReport? Vrc { get; init; }

    /// <summary>mIoU points lost when only this layer is quantized (NaN: not measured).</summary>
    public double SensitivityMIouDrop { get; init; } = double.NaN;
}
