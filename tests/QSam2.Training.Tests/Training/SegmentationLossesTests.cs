using QSam2.Training.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Training;

public class SegmentationLossesTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // Scalar re-statement of SAM2's sigmoid_focal_loss for one pixel.
    private static double FocalPixel(double x, double t, double alpha, double gamma)
    {
        double p = Sigmoid(x);
        double ce = -((t * Math.Log(p)) + ((1 - t) * Math.Log(1 - p)));
        double pt = (p * t) + ((1 - p) * (1 - t));
        double loss = ce * Math.Pow(1 - pt, gamma);
        if (alpha >= 0) loss *= (alpha * t) + ((1 - alpha) * (1 - t));
        return loss;
    }

    private static readonly float[] s_logits = { 0f, 2f, -1f, 3f, -4f, 0.5f };
    private static readonly float[] s_target = { 1f, 0f, 0f, 1f, 0f, 1f };

    [Fact]
    public void FocalOfLogitZeroOnPositivePixelMatchesHandValue()
    {
        // p = 0.5: BCE = ln 2, (1 − p_t)² = 0.25, α_t = 0.25 → 0.0625·ln 2.
        using var x = zeros(1, 1, 1, 1);
        using var t = ones(1, 1, 1, 1);
        using var loss = SegmentationLosses.SigmoidFocal(x, t, 0.25, 2);
        Assert.Equal(0.0625 * Math.Log(2), loss.item<float>(), 6);
    }

    [Fact]
    public void FocalIsPixelMeanOfScalarFormula()
    {
        using var x = tensor(s_logits).reshape(1, 1, 2, 3);
        using var t = tensor(s_target).reshape(1, 1, 2, 3);
        using var loss = SegmentationLosses.SigmoidFocal(x, t, 0.25, 2);
        double expected = s_logits.Select((v, i) => FocalPixel(v, s_target[i], 0.25, 2)).Average();
        Assert.Equal(new long[] { 1, 1 }, loss.shape);
        Assert.Equal(expected, loss.item<float>(), 6);
    }

    [Fact]
    public void FocalWithNegativeAlphaAndZeroGammaIsBce()
    {
        using var x = tensor(new float[] { 1.5f }).reshape(1, 1, 1);
        using var t = tensor(new float[] { 1f }).reshape(1, 1, 1);
        using var loss = SegmentationLosses.SigmoidFocal(x, t, -1, 0);
        Assert.Equal(-Math.Log(Sigmoid(1.5)), loss.item<float>(), 6);
    }

    [Fact]
    public void DiceMatchesHandFormula()
    {
        using var x = tensor(s_logits).reshape(1, 1, 2, 3);
        using var t = tensor(s_target).reshape(1, 1, 2, 3);
        using var loss = SegmentationLosses.Dice(x, t);
        double inter = 0, sp = 0, st = 0;
        for (int i = 0; i < s_logits.Length; i++)
        {
            double p = Sigmoid(s_logits[i]);
            inter += p * s_target[i];
            sp += p;
            st += s_target[i];
        }
        Assert.Equal(1 - (((2 * inter) + 1) / (sp + st + 1)), loss.item<float>(), 6);
    }

    [Fact]
    public void ActualIouThresholdsAtZero()
    {
        // Predicted foreground: logits > 0 → pixels 1,3,5 ; target pixels 0,3,5 → inter 2, union 4.
        using var x = tensor(s_logits).reshape(1, 1, 2, 3);
        using var t = tensor(s_target).reshape(1, 1, 2, 3);
        using var iou = SegmentationLosses.ActualIou(x, t);
        Assert.Equal(0.5, iou.item<float>(), 6);
    }

    [Fact]
    public void IouPredictionLossIsL1OrSquared()
    {
        using var pred = tensor(new float[] { 0.9f, 0.2f }).reshape(1, 2);
        using var actual = tensor(new float[] { 0.5f, 0.5f }).reshape(1, 2);
        using var l1 = SegmentationLosses.IouPrediction(pred, actual, true);
        using var l2 = SegmentationLosses.IouPrediction(pred, actual, false);
        Assert.Equal(new[] { 0.4f, 0.3f }, l1.data<float>().ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal(new[] { 0.16f, 0.09f }, l2.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }
}

internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
