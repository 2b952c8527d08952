using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>
/// SAM2's per-step loss (<c>MultiStepMultiMasksAndIous._update_losses</c>) for one decoder call:
/// focal + dice on the candidate with the lowest <c>w_focal·focal + w_dice·dice</c> (all candidates when
/// there is one), IoU-prediction loss on every candidate (or the best one), object-score BCE, and
/// mask/dice/IoU terms zeroed for objects whose target is empty. Returns sums over objects; the caller
/// divides by the number of objects in the batch, as SAM2 does.
/// </summary>
public static class MultiMaskLoss
{
    /// <param name="maskLogits"><c>[N, M, H, W]</c> mask logits at the target resolution.</param>
    /// <param name="predictedIou"><c>[N, M]</c> IoU predictions (after the IoU head's sigmoid).</param>
    /// <param name="objectScoreLogits"><c>[N, 1]</c> object-score logits.</param>
    /// <param name="targets"><c>[N, H, W]</c> ground-truth masks as 0/1 float.</param>
    public static LossTerms Compute(Tensor maskLogits, Tensor predictedIou, Tensor objectScoreLogits, Tensor targets, LossWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (maskLogits.dim() != 4 || targets.dim() != 3
            || maskLogits.shape[0] != targets.shape[0]
            || maskLogits.shape[2] != targets.shape[1] || maskLogits.shape[3] != targets.shape[2])
        {
            throw new ArgumentException(
                $"mask logits {Shape(maskLogits)} and targets {Shape(targets)} do not match ([N,M,H,W] vs [N,H,W])");
        }
        long n = maskLogits.shape[0], m = maskLogits.shape[1];
        if (!predictedIou.shape.SequenceEqual(new[] { n, m }))
            throw new ArgumentException($"IoU predictions {Shape(predictedIou)} do not match masks {Shape(maskLogits)}");
        if (!objectScoreLogits.shape.SequenceEqual(new[] { n, 1L }))
            throw new ArgumentException($"object-score logits {Shape(objectScoreLogits)} must be [{n}, 1]");

        using var scope = NewDisposeScope();
        var target = targets.unsqueeze(1).expand_as(maskLogits);
        var focal = SegmentationLosses.SigmoidFocal(maskLogits, target, weights.FocalAlpha, weights.FocalGamma);
        var dice = SegmentationLosses.Dice(maskLogits, target);
        var actualIou = SegmentationLosses.ActualIou(maskLogits, target);
        var iouLoss = SegmentationLosses.IouPrediction(predictedIou, actualIou, weights.IouUseL1);

        // "Object present" = any foreground pixel in the target.
        var targetObj = targets.flatten(1).amax(new long[] { 1 }).gt(0).to(ScalarType.Float32).unsqueeze(1); // [N,1]
        var objLoss = SegmentationLosses.SigmoidFocal(objectScoreLogits.unsqueeze(2), targetObj.unsqueeze(2), -1, 0); // [N,1]

        Tensor focalSel, diceSel, iouSel;
        if (m > 1)
        {
            // Back-propagate mask losses only through the candidate that already fits best (SAM's ambiguity handling).
            var combo = focal.detach() * weights.Focal + dice.detach() * weights.Dice;
            var best = combo.argmin(1, keepdim: true); // [N,1]
            focalSel = focal.gather(1, best);
            diceSel = dice.gather(1, best);
            iouSel = weights.SuperviseAllIou ? iouLoss.mean(new long[] { 1 }, keepdim: true) : iouLoss.gather(1, best);
        }
        else
        {
            focalSel = focal;
            diceSel = dice;
            iouSel = iouLoss;
        }

        var terms = new LossTerms(
            (focalSel * targetObj).sum() * weights.Focal,
            (diceSel * targetObj).sum() * weights.Dice,
            (iouSel * targetObj).sum() * weights.Iou,
            objLoss.sum() * weights.ObjectScore);
        terms.Focal.MoveToOuterDisposeScope();
        terms.Dice.MoveToOuterDisposeScope();
        terms.Iou.MoveToOuterDisposeScope();
        terms.ObjectScore.MoveToOuterDisposeScope();
        return terms;
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
