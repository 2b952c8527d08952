using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Output selection rules of SAM2's mask decoder: the stability score and the single-mask dynamic fallback.
/// </summary>
public static class MaskSelection
{
    /// <summary>
    /// Stability score per mask: |{logit &gt; δ}| / |{logit &gt; −δ}| over the last two dims, 1 where the denominator is 0.
    /// <c>[..., H, W]</c> → <c>[...]</c>.
    /// </summary>
    public static Tensor StabilityScores(Tensor maskLogits, double delta)
    {
        using var scope = NewDisposeScope();
        var flat = maskLogits.flatten(-2);
        var areaI = flat.gt(delta).sum(-1).to_type(ScalarType.Float32);
        var areaU = flat.gt(-delta).sum(-1).to_type(ScalarType.Float32);
        var score = where(areaU.gt(0), areaI / areaU, ones_like(areaI));
        return score.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Single-mask output with fallback: keep token 0 when its stability score ≥ threshold, otherwise take the token
    /// among 1..3 with the highest predicted IoU.
    /// </summary>
    /// <returns>mask <c>[B,1,H,W]</c>, IoU <c>[B,1]</c>, chosen token index <c>[B,1]</c> (int64).</returns>
    public static (Tensor Masks, Tensor Iou, Tensor Token) DynamicFallback(Tensor allMasks, Tensor allIou, Tensor stabilityToken0, double threshold)
    {
        using var scope = NewDisposeScope();
        var best = allIou[.., 1..].argmax(-1, keepdim: true) + 1;                  // [B,1]
        var stable = stabilityToken0.ge(threshold).unsqueeze(-1);                   // [B,1]
        var token = where(stable, zeros_like(best), best);
        var masks = allMasks.gather(1, token.view(-1, 1, 1, 1).expand(-1, 1, allMasks.shape[2], allMasks.shape[3]));
        var iou = allIou.gather(1, token);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope(), token.MoveToOuterDisposeScope());
    }
}
