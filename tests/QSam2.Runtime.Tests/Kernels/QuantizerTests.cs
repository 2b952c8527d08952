using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Tests.Kernels;

public class QuantizerTests
{
    [Fact]
    public void ActivationParams_FromRange_HandComputed()
    {
        // [−1, 3] at 8 bits: scale = 4/255, zero point = round(1 / (4/255)) = round(63.75) = 64.
        var p = ActivationQuantParams.FromRange(-1f, 3f, 8);
        Assert.Equal(4f / 255f, p.Scale);
        Assert.Equal(64, p.ZeroPoint);
        Assert.Equal(64, p.Quantize(0f));
        Assert.Equal(255, p.Quantize(3f));
        Assert.Equal(0, p.Quantize(-1f));
        Assert.Equal(0f, p.Dequantize(64));

        // A positive-only range is widened to include 0: [0, 5] at 4 bits → scale 1/3, zero point 0.
        var q = ActivationQuantParams.FromRange(2f, 5f, 4);
        Assert.Equal(5f / 15f, q.Scale);
        Assert.Equal(0, q.ZeroPoint);
        // A negative-only range: [−6, 0] → zero point 15.
        Assert.Equal(15, ActivationQuantParams.FromRange(-6f, -1f, 4).ZeroPoint);
        // Degenerate range keeps a positive scale.
        Assert.Equal(ActivationQuantParams.MinScale, ActivationQuantParams.FromRange(0f, 0f, 8).Scale);
    }

    [Fact]
    public void ActivationQuantize_RoundsHalfToEven_ThenClamps()
    {
        var p = new ActivationQuantParams(1f, 10, 8);
        Assert.Equal(12, p.Quantize(2.5f));   // 2.5 → 2, + 10
        Assert.Equal(14, p.Quantize(3.5f));   // 3.5 → 4
        Assert.Equal(8, p.Quantize(-2.5f));   // −2.5 → −2
        Assert.Equal(255, p.Quantize(1e9f));
        Assert.Equal(0, p.Quantize(-1e9f));
        var p4 = new ActivationQuantParams(0.5f, 3, 4);
        Assert.Equal(15, p4.Quantize(100f));
        Assert.Equal(0, p4.Quantize(-2f));     // −4 + 3 = −1 → 0
    }

    [Fact]
    public void ActivationQuantKernels_AllVersionsIdentical_IncludingTies()
    {
        var rng = new Random(17);
        foreach (var p in new[] { new ActivationQuantParams(0.25f, 128, 8), new ActivationQuantParams(0.1f, 7, 4), new ActivationQuantParams(0.037f, 0, 8) })
        {
            var x = TestData.Floats(rng, 1003, 40f);
            for (int i = 0; i < 100; i++) x[i] = (rng.Next(-200, 200) + 0.5f) * p.Scale; // exact .5 ties
            var reference = new byte[x.Length];
            ActivationQuantKernels.Quantize_Reference(x, reference, p);
            for (int i = 0; i < x.Length; i++) Assert.Equal(p.Quantize(x[i]), reference[i]);
            var portable = new byte[x.Length];
            ActivationQuantKernels.Quantize_Portable(x, portable, p);
            Assert.Equal(reference, portable);
            if (KernelIsa.UseAvx2Fma)
            {
                var avx = new byte[x.Length];
                ActivationQuantKernels.Quantize_Avx2(x, avx, p);
                Assert.Equal(reference, avx);
            }
        }
    }

    [Fact]
    public void ActivationParams_Validation()
    {
        Assert.Throws<ArgumentException>(() => new ActivationQuantParams(0f, 0, 8).Validate("x"));
        Assert.Throws<ArgumentException>(() => new ActivationQuantParams(1f, 16, 4).Validate("x"));
        Assert.Throws<ArgumentException>(() => new ActivationQuantParams(1f, 0, 9).Validate("x"));
        Assert.Throws<ArgumentException>(() => ActivationQuantParams.FromRange(1f, 0f, 8));
    }

    [Fact]
    public void WeightQuantizer_PerChannel_HandComputed()
    {
        // Row 0: max|w| = 1 → scale = 1f/7 = 0.142857149 (rounded up), so 0.5/scale = 3.4999998 → 3 (the float32 division
        // is part of the contract: a real-number 3.5 would round to 4), −1 → −7, 0.25/scale = 1.75 → 2, 0.124/scale = 0.868 → 1.
        // Row 1: all zero → scale 1, codes 0.
        var w = new[] { 0.5f, -1f, 0.25f, 0.124f, 0f, 0f, 0f, 0f };
        var q = WeightQuantizer.Quantize(w, 2, 4, 4);
        Assert.Equal(new sbyte[] { 3, -7, 2, 1, 0, 0, 0, 0 }, q.Codes);
        Assert.Equal(new[] { 1f / 7f, 1f }, q.Scales);
        Assert.False(q.PerGroup);
    }

    [Fact]
    public void WeightQuantizer_ClipAndGroups_HandComputed()
    {
        // 2-bit, clip 0.5 → scale 0.5; −1/0.5 = −2 (allowed: qmin = −2), 1/0.5 = 2 → clamped to 1.
        var w = new[] { -1f, 1f, 0.25f, -0.2f };
        var q = WeightQuantizer.Quantize(w, 1, 4, 2, clip: new[] { 0.5f });
        Assert.Equal(new sbyte[] { -2, 1, 0, 0 }, q.Codes); // 0.25/0.5 = 0.5 → 0, −0.4 → 0
        // 8-bit per group of 2: group maxima 1 and 0.25 → scales 1/127 and 0.25/127.
        var g = WeightQuantizer.Quantize(w, 1, 4, 8, groupSize: 2);
        Assert.Equal(new[] { 1f / 127f, 0.25f / 127f }, g.Scales);
        Assert.Equal(new sbyte[] { -127, 127, 127, -102 }, g.Codes); // −0.2/(0.25/127) = −101.6 → −102
        Assert.True(g.PerGroup);
        Assert.Equal(2, g.GroupSize);
    }

    [Fact]
    public void WeightQuantizer_DequantizedErrorIsAtMostHalfAStep()
    {
        var rng = new Random(19);
        foreach (int bits in new[] { 2, 3, 4, 8 })
        {
            int n = 9, k = 64;
            var w = TestData.Floats(rng, n * k);
            var q = WeightQuantizer.Quantize(w, n, k, bits, groupSize: 16);
            for (int i = 0; i < w.Length; i++)
            {
                float s = q.Scales[(i / k) * q.Groups + (i % k) / 16];
                Assert.InRange(Math.Abs(q.Codes[i] * s - w[i]), 0, 0.5001 * s);
            }
        }
    }
}
