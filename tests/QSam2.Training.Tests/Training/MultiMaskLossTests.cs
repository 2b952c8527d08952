using QSam2.Training.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Training;

public class MultiMaskLossTests
{
    private static readonly LossWeights s_weights = LossWeights.Sam2;

    // Target: left column of a 2×2 mask.
    private static Tensor Target() => tensor(new float[] { 1, 0, 1, 0 }).reshape(1, 2, 2);

    [Fact]
    public void MaskLossesFlowOnlyThroughTheBestCandidate()
    {
        // Candidate 1 matches the target, 0 and 2 do not.
        var data = new float[]
        {
            -5, 5, -5, 5,
            6, -6, 6, -6,
            1, 1, 1, 1,
        };
        using var logits = tensor(data).reshape(1, 3, 2, 2).requires_grad_(true);
        using var iou = tensor(new float[] { 0.2f, 0.9f, 0.4f }).reshape(1, 3).requires_grad_(true);
        using var obj = tensor(new float[] { 2f }).reshape(1, 1).requires_grad_(true);
        using var target = Target();
        var terms = MultiMaskLoss.Compute(logits, iou, obj, target, s_weights);
        terms.Total.backward();

        using var grad = logits.grad!;
        var g = grad.data<float>().ToArray();
        Assert.All(g.Take(4), v => Assert.Equal(0f, v));
        Assert.Contains(g.Skip(4).Take(4), v => v != 0f);
        Assert.All(g.Skip(8), v => Assert.Equal(0f, v));

        // Focal/dice terms equal the per-candidate values of candidate 1 (weighted).
        using var t3 = target.unsqueeze(1);
        using var best = logits.detach()[.., 1..2];
        using var focal = SegmentationLosses.SigmoidFocal(best, t3, 0.25, 2);
        using var dice = SegmentationLosses.Dice(best, t3);
        Assert.Equal(20 * focal.item<float>(), terms.Focal.item<float>(), 5);
        Assert.Equal(dice.item<float>(), terms.Dice.item<float>(), 5);

        // IoU loss supervises every candidate: actual IoUs are 0, 1 and 0.5 → mean |pred − actual|.
        double expectedIou = (Math.Abs(0.2 - 0) + Math.Abs(0.9 - 1) + Math.Abs(0.4 - 0.5)) / 3;
        Assert.Equal(expectedIou, terms.Iou.item<float>(), 5);
        // Object present: BCE(2, 1) = −ln σ(2).
        Assert.Equal(-Math.Log(1 / (1 + Math.Exp(-2))), terms.ObjectScore.item<float>(), 5);
    }

    [Fact]
    public void AbsentObjectOnlyTrainsTheObjectScore()
    {
        using var logits = tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 1, 2, 2);
        using var iou = tensor(new float[] { 0.7f }).reshape(1, 1);
        using var obj = tensor(new float[] { 0.5f }).reshape(1, 1);
        using var target = zeros(1, 2, 2);
        var terms = MultiMaskLoss.Compute(logits, iou, obj, target, s_weights);
        Assert.Equal(0f, terms.Focal.item<float>());
        Assert.Equal(0f, terms.Dice.item<float>());
        Assert.Equal(0f, terms.Iou.item<float>());
        Assert.Equal(-Math.Log(1 - (1 / (1 + Math.Exp(-0.5)))), terms.ObjectScore.item<float>(), 5);
    }

    [Fact]
    public void LossesSumOverObjects()
    {
        using var logits = tensor(new float[] { 1, -1, 1, -1, 2, 2, -2, -2 }).reshape(2, 1, 2, 2);
        using var iou = tensor(new float[] { 0.5f, 0.5f }).reshape(2, 1);
        using var obj = tensor(new float[] { 1f, 1f }).reshape(2, 1);
        using var target = tensor(new float[] { 1, 0, 1, 0, 1, 1, 0, 0 }).reshape(2, 2, 2);
        var both = MultiMaskLoss.Compute(logits, iou, obj, target, s_weights).ToValues();
        var first = MultiMaskLoss.Compute(logits[0..1], iou[0..1], obj[0..1], target[0..1], s_weights).ToValues();
        var second = MultiMaskLoss.Compute(logits[1..2], iou[1..2], obj[1..2], target[1..2], s_weights).ToValues();
        Assert.Equal(first.Total + second.Total, both.Total, 5);
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var logits = zeros(1, 1, 2, 2);
        using var iou = zeros(1, 1);
        using var obj = zeros(1, 1);
        using var target = zeros(1, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => MultiMaskLoss.Compute(logits, iou, obj, target, s_weights));
        Assert.Contains("[1, 3, 3]", e.Message);
    }
}
