using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>
/// The four SAM2 loss terms summed over objects (not yet normalised), each already multiplied by its
/// weight, and their sum <see cref="Total"/>. All are scalar tensors; <see cref="Total"/> carries the gradient.
/// </summary>
public sealed record LossTerms(Tensor Focal, Tensor Dice, Tensor Iou, Tensor ObjectScore)
{
    public Tensor Total => Focal + Dice + Iou + ObjectScore;

    /// <summary>Term-wise sum (used to accumulate correction steps and images of one batch).</summary>
    public LossTerms Plus(LossTerms other) =>
        new(Focal + other.Focal, Dice + other.Dice, Iou + other.Iou, ObjectScore + other.ObjectScore);

    /// <summary>Term-wise division (normalisation by the number of objects).</summary>
    public LossTerms DividedBy(double denominator) =>
        new(Focal / denominator, Dice / denominator, Iou / denominator, ObjectScore / denominator);

    /// <summary>Plain numbers for logging, read without keeping the graph.</summary>
    public LossValues ToValues() =>
        new(Focal.item<float>(), Dice.item<float>(), Iou.item<float>(), ObjectScore.item<float>());

    public static LossTerms Zero() => new(zeros(1).sum(), zeros(1).sum(), zeros(1).sum(), zeros(1).sum());
}

/// <summary>Weighted loss terms as numbers (one training step, normalised per object).</summary>
public readonly record struct LossValues(double Focal, double Dice, double Iou, double ObjectScore)
{
    public double Total => Focal + Dice + Iou + ObjectScore;
}
