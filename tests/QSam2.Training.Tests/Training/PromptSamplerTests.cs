using QSam2.Training.Training;

namespace QSam2.Training.Tests.Training;

public class PromptSamplerTests
{
    // A 64×48 image with an L-shaped object: box x ∈ [10, 39], y ∈ [5, 34].
    private static BinaryMask LShape()
    {
        int w = 64, h = 48;
        var data = new byte[w * h];
        for (int y = 5; y <= 34; y++)
            for (int x = 10; x <= 39; x++)
                if (x <= 19 || y >= 25) data[(y * w) + x] = 1;
        return new BinaryMask(w, h, data);
    }

    [Fact]
    public void NoisyBoxStaysWithinTheJitterBoundAndTheImage()
    {
        var mask = LShape();
        var rng = new Random(1);
        double maxJitter = Math.Min(29 * PromptSampler.BoxNoise, PromptSampler.BoxNoiseBound1024 * 64 / 1024.0);
        bool moved = false;
        for (int i = 0; i < 200; i++)
        {
            var p = PromptSampler.NoisyBox(mask, rng);
            Assert.Equal(new[] { PointLabels.BoxTopLeft, PointLabels.BoxBottomRight }, p.Labels);
            double[] tight = { 10, 5, 39, 34 };
            for (int k = 0; k < 4; k++)
            {
                Assert.InRange(p.Xy[k], tight[k] - maxJitter - 1e-6, tight[k] + maxJitter + 1e-6);
                Assert.InRange(p.Xy[k], 0, (k % 2 == 0 ? 64 : 48) - 1);
                moved |= Math.Abs(p.Xy[k] - tight[k]) > 0.01;
            }
        }
        Assert.True(moved, "box noise never moved a corner");
    }

    [Fact]
    public void ClicksArePositiveInsideAndNegativeOutsideTheObject()
    {
        var mask = LShape();
        var rng = new Random(2);
        int negatives = 0;
        for (int i = 0; i < 200; i++)
        {
            var p = PromptSampler.Clicks(mask, 3, 0.5, rng);
            Assert.Equal(3, p.Count);
            Assert.Equal(PointLabels.Positive, p.Labels[0]);
            for (int k = 0; k < p.Count; k++)
            {
                bool inside = mask[(int)p.Xy[2 * k], (int)p.Xy[(2 * k) + 1]];
                Assert.Equal(p.Labels[k] == PointLabels.Positive, inside);
                if (p.Labels[k] == PointLabels.Negative) negatives++;
            }
        }
        Assert.InRange(negatives, 100, 300); // about half of the 400 later clicks
    }

    [Fact]
    public void CorrectionClickLandsInTheErrorRegionWithTheRightLabel()
    {
        var truth = LShape();
        // Prediction: the whole box (false positives in the notch) minus the bottom row (false negatives).
        var pred = new byte[truth.Data.Length];
        for (int y = 5; y <= 33; y++)
            for (int x = 10; x <= 39; x++) pred[(y * 64) + x] = 1;
        var prediction = new BinaryMask(64, 48, pred);
        var rng = new Random(3);
        int pos = 0, neg = 0;
        for (int i = 0; i < 300; i++)
        {
            var (x, y, label) = PromptSampler.CorrectionClick(truth, prediction, rng);
            bool t = truth[(int)x, (int)y], p = prediction[(int)x, (int)y];
            Assert.NotEqual(t, p);
            Assert.Equal(t ? PointLabels.Positive : PointLabels.Negative, label);
            if (label == PointLabels.Positive) pos++; else neg++;
        }
        // 30 false-negative pixels against 400 false-positive ones.
        Assert.True(pos > 0 && neg > pos);
    }

    [Fact]
    public void PerfectPredictionGivesABackgroundClick()
    {
        var truth = LShape();
        var (x, y, label) = PromptSampler.CorrectionClick(truth, truth, new Random(4));
        Assert.Equal(PointLabels.Negative, label);
        Assert.False(truth[(int)x, (int)y]);
    }

    [Fact]
    public void EmptyMaskIsRejected()
    {
        var empty = new BinaryMask(8, 8, new byte[64]);
        Assert.Throws<ArgumentException>(() => PromptSampler.NoisyBox(empty, new Random(0)));
        Assert.Throws<ArgumentException>(() => PromptSampler.Clicks(empty, 1, 0.5, new Random(0)));
    }

    [Fact]
    public void PolicyPlansMatchTheirPrompts()
    {
        var policy = new PromptPolicy();
        var mask = LShape();
        var rng = new Random(5);
        int boxes = 0;
        for (int i = 0; i < 200; i++)
        {
            var plan = policy.Choose(rng);
            var p = policy.Sample(plan, mask, rng);
            Assert.Equal(plan.PointCount(0), p.Count);
            Assert.Equal(plan.Box, p.HasBox);
            if (plan.Box) boxes++;
            else Assert.InRange(plan.Clicks, 1, policy.MaxClicks);
        }
        Assert.InRange(boxes, 60, 140);
    }

    [Fact]
    public void StepRandomnessIsAFunctionOfSeedAndStep()
    {
        Assert.Equal(EpochOrder.StepRandom(7, 123).Next(), EpochOrder.StepRandom(7, 123).Next());
        Assert.NotEqual(EpochOrder.StepRandom(7, 123).Next(), EpochOrder.StepRandom(7, 124).Next());
        var perm = EpochOrder.Permutation(50, 7, 3);
        Assert.Equal(Enumerable.Range(0, 50), perm.Order());
        Assert.Equal(perm, EpochOrder.Permutation(50, 7, 3));
        Assert.NotEqual(perm, EpochOrder.Permutation(50, 7, 4));
    }
}
