using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>
/// The per-mask loss terms of SAM2 (<c>training/loss_fns.py</c>), un-normalised: every function returns one
/// value per (object, candidate) so the caller can pick the best candidate before summing.
/// Shapes: <c>logits</c> and <c>targets</c> are <c>[N, M, H, W]</c> (M candidates per object, targets 0/1 float).
/// </summary>
public static class SegmentationLosses
{
    /// <summary>
    /// Sigmoid focal loss averaged over pixels → <c>[N, M]</c>:
    /// <c>mean_px( α_t · (1 − p_t)^γ · BCE(logit, t) )</c>, with <c>α_t = α·t + (1−α)(1−t)</c> (skipped when α &lt; 0).
    /// With α = −1 and γ = 0 this is plain BCE, which SAM2 uses for the object score.
    /// </summary>
    public static Tensor SigmoidFocal(Tensor logits, Tensor targets, double alpha, double gamma)
    {
        using var scope = NewDisposeScope();
        var prob = logits.sigmoid();
        var ce = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None);
        var pT = prob * targets + (1 - prob) * (1 - targets);
        var loss = gamma == 0 ? ce : ce * (1 - pT).pow(gamma);
        if (alpha >= 0)
        {
            var alphaT = alpha * targets + (1 - alpha) * (1 - targets);
            loss = alphaT * loss;
        }
        return loss.flatten(2).mean(new long[] { -1 }).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Dice loss on sigmoid probabilities → <c>[N, M]</c>: <c>1 − (2Σpt + 1) / (Σp + Σt + 1)</c>.
    /// </summary>
    public static Tensor Dice(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var p = logits.sigmoid().flatten(2);
        var t = targets.flatten(2);
        var numerator = 2 * (p * t).sum(-1);
        var denominator = p.sum(-1) + t.sum(-1);
        return (1 - (numerator + 1) / (denominator + 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The IoU of each thresholded prediction (logit &gt; 0) with its target (&gt; 0.5, which is SAM2's &gt; 0 for 0/1
    /// targets and the majority rule for area-averaged ones) → <c>[N, M]</c>, no gradient; an empty union gives 0
    /// (SAM2 clamps the union to ≥ 1).
    /// </summary>
    public static Tensor ActualIou(Tensor logits, Tensor targets)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var pred = logits.detach().flatten(2) > 0;
        var gt = targets.flatten(2) > 0.5;
        var inter = (pred & gt).sum(-1, type: ScalarType.Float32);
        var union = (pred | gt).sum(-1, type: ScalarType.Float32);
        return (inter / union.clamp_min(1.0)).MoveToOuterDisposeScope();
    }

    /// <summary>IoU-head loss per candidate → <c>[N, M]</c>: |pred − actual| (L1) or (pred − actual)².</summary>
    public static Tensor IouPrediction(Tensor predictedIou, Tensor actualIou, bool useL1)
    {
        using var scope = NewDisposeScope();
        var diff = predictedIou - actualIou;
        return (useL1 ? diff.abs() : diff.square()).MoveToOuterDisposeScope();
    }
}
