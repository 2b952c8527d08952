using QSam2.Training.Quantization.Calibration;

namespace QSam2.Training.Quantization.Recipes;

/// <summary>Recipe block <c>calibration</c>: the calibration images and the post-training clip calibrators.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Images used for VRC and the activation ranges (the paper: 50).</summary>
    public int Images { get; init; } = 50;

    public ImageSelection Selection { get; init; } = ImageSelection.First;

    /// <summary>Images considered by <see cref="ImageSelection.ConditionNumber"/> (0 = the whole folder).</summary>
    public int Candidates { get; init; }

    public ClipMethod Weights { get; init; } = ClipMethod.MinMax;

    public ClipMethod Activations { get; init; } = ClipMethod.MinMax;

    public double WeightPercentile { get; init; } = 99.99;

    public double ActivationPercentile { get; init; } = 99.99;

    /// <summary>Seed of the activation value sampling.</summary>
    public int Seed { get; init; }
}
