using QSam2.Training.Evaluation;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>Task metrics of a quantization run on the evaluation images.</summary>
/// <param name="Reference">"labels", or the float checkpoint the masks are compared with (label-free).</param>
/// <param name="FloatMIou">The original float model (against labels; 100 by definition when it is the reference).</param>
/// <param name="CalibratedFloatMIou">The float model after VRC, before quantization (NaN without VRC).</param>
/// <param name="QuantizedMIou">The quantized model.</param>
public sealed record QuantEvalSummary(string Prompt, string Reference, int Images, int Instances, double FloatMIou, double CalibratedFloatMIou, double QuantizedMIou);

/// <summary>Image-path weight storage: all float32 vs as exported (codes at their bit-width + scales + input parameters).</summary>
public sealed record ModelSizeSummary(long Fp32Bytes, long QuantizedBytes, long QuantizedParameters, long FloatParameters)
{
    public double Ratio => QuantizedBytes == 0 ? double.NaN : (double)Fp32Bytes / QuantizedBytes;
}

/// <summary>Everything <c>qsam2 quantize</c> reports (<c>&lt;name&gt;.report.md</c> / <c>.report.json</c>).</summary>
public sealed record QuantReport
{
    public required string Name { get; init; }

    public required string Arch { get; init; }

    public required string ArchSha256 { get; init; }

    public required string Checkpoint { get; init; }

    public required string RecipeSummary { get; init; }

    public required string WeightsFile { get; init; }

    public required string WeightsSha256 { get; init; }

    public required string StructureHash { get; init; }

    public required IReadOnlyList<string> CalibrationImages { get; init; }

    public string CalibrationSelection { get; init; } = "";

    public required IReadOnlyList<LayerReport> Layers { get; init; }

    public required ModelSizeSummary Size { get; init; }

    public QuantEvalSummary? Eval { get; init; }

    /// <summary>How sensitivity was measured (which layers, which images), or why not.</summary>
    public string SensitivityProtocol { get; init; } = "";

    public int QatSteps { get; init; }

    public double QatSeconds { get; init; }

    public IReadOnlyList<double> QatLosses { get; init; } = Array.Empty<double>();

    public double Seconds { get; init; }
}
