namespace QSam2.Training.Quantization.Calibration;

/// <summary>How a post-training calibrator picks a clip range from what it observed.</summary>
public enum ClipMethod
{
    /// <summary>The full observed range: max|w| per slice, min/max of the activations.</summary>
    MinMax,
    /// <summary>A percentile of |w| per slice / of the activation values at both ends.</summary>
    Percentile,
    /// <summary>The clip that minimizes the mean squared quantization error (grid search).</summary>
    Mse,
}

/// <summary>Recipe text of a <see cref="ClipMethod"/>.</summary>
public static class ClipMethods
{
    public static string Name(this ClipMethod m) => m switch
    {
        ClipMethod.MinMax => "minmax",
        ClipMethod.Percentile => "percentile",
        _ => "mse",
    };

    public static ClipMethod? Parse(string text) => text switch
    {
        "minmax" => ClipMethod.MinMax,
        "percentile" => ClipMethod.Percentile,
        "mse" => ClipMethod.Mse,
        _ => null,
    };
}
