namespace QSam2.Training.Quantization.Recipes;

/// <summary>How the quantized model is obtained.</summary>
public enum QuantMethod
{
    /// <summary>Post-training quantization: calibrated clip ranges, weights unchanged (apart from VRC).</summary>
    Ptq,
    /// <summary>Quantization-aware training after calibration (MinMax or LSC quantizers).</summary>
    Qat,
}

/// <summary>The fake quantizers QAT trains with.</summary>
public enum QatQuantizer
{
    /// <summary>Baseline: max|w| per slice for weights, EMA min/max for activations, nothing learned but the weights.</summary>
    MinMax,
    /// <summary>Learnable statistical clipping (Q-SAM2): μ ± α·σ with learned α and running statistics.</summary>
    Lsc,
}

/// <summary>How calibration images are chosen from the calibration folder.</summary>
public enum ImageSelection
{
    /// <summary>The first N images in file order.</summary>
    First,
    /// <summary>Greedy selection by the condition number of the accumulated Gram matrix (Vrc.CalibrationImageSelector).</summary>
    ConditionNumber,
}
