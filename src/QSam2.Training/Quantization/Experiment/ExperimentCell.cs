namespace QSam2.Training.Quantization.Experiment;

/// <summary>One measured cell: a method at a bit configuration on the held-out split.</summary>
public sealed record ExperimentCell
{
    public required string Method { get; init; }

    public required string Bits { get; init; }

    /// <summary>Box-prompt mIoU against the labels, in points (0–100).</summary>
    public required double MIou { get; init; }

    public required int Instances { get; init; }

    /// <summary>Image-path weight storage as exported (FP32: all float32).</summary>
    public required long SizeBytes { get; init; }

    public double Seconds { get; init; }

    public int QatSteps { get; init; }

    /// <summary>Mean QAT loss over the last 20 steps (NaN for PTQ).</summary>
    public double QatFinalLoss { get; init; } = double.NaN;

    /// <summary>Mean weight SQNR (dB) over quantized layers.</summary>
    public double MeanWeightSqnrDb { get; init; } = double.NaN;

    /// <summary>Mean input SQNR (dB) over quantized layers.</summary>
    public double MeanActivationSqnrDb { get; init; } = double.NaN;

    /// <summary>VRC: mean ‖Ŵ‖_F/‖W‖_F over calibrated layers (NaN without VRC).</summary>
    public double VrcNormRatio { get; init; } = double.NaN;

    /// <summary>VRC: mean relative output change ‖ΔY‖²/‖Y‖² on the calibration data (NaN without VRC).</summary>
    public double VrcOutputChange { get; init; } = double.NaN;
}
