using QSam2.Runtime.Kernels.Quant;
using QSam2.Training.Quantization.Numerics;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

public class FakeQuantTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    private static float[] FakeWeight(float[] w, float clip, int bits)
    {
        using var x = tensor(w).reshape(1, 1, w.Length);
        using var a = tensor(new[] { clip }).reshape(1, 1, 1);
        return Values(FakeQuant.Weight(x, a, bits));
    }

    [Fact]
    public void Weight_HandComputed_2Bit()
    {
        // qmax 1, qmin -2, scale 1: ties round to even (±0.5 -> 0), beyond the clip clamps, -2 is reachable.
        var r = FakeWeight(new[] { -1f, -0.5f, 0f, 0.25f, 0.5f, 1f, 1.6f, -3f }, 1f, 2);
        Assert.Equal(new[] { -1f, 0f, 0f, 0f, 0f, 1f, 1f, -2f }, r);
    }

    [Fact]
    public void Weight_HandComputed_3Bit()
    {
        // qmax 3, scale 1/3: -0.5 -> -1.5 -> -2 (even), 0.5 -> 1.5 -> 2, 0.25 -> 0.75 -> 1, 5 -> clamp 3, -5 -> clamp -4.
        var r = FakeWeight(new[] { -1f, -0.5f, 0.25f, 0.5f, 5f, -5f }, 1f, 3);
        float s = 1f / 3;
        Assert.Equal(new[] { -3 * s, -2 * s, 1 * s, 2 * s, 3 * s, -4 * s }, r);
    }

    [Fact]
    public void Weight_HandComputed_4Bit_And_8Bit()
    {
        // 4 bits: clip 7 gives scale 1; 2.5 -> 2 (even), 3.5 -> 4, -8.6 -> -8 (qmin), 9 -> 7 (qmax).
        Assert.Equal(new[] { 2f, 4f, -8f, 7f, -7f }, FakeWeight(new[] { 2.5f, 3.5f, -8.6f, 9f, -7f }, 7f, 4));
        // 8 bits: clip 127 gives scale 1; 126.5 -> 126 (even), -127.5 -> -128, 200 -> 127, -300 -> -128.
        Assert.Equal(new[] { 126f, -128f, 127f, -128f, 0f }, FakeWeight(new[] { 126.5f, -127.5f, 200f, -300f, 0.49f }, 127f, 8));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Weight_AllBitWidths_MatchScalarDefinition(int bits)
    {
        var rng = new Random(bits);
        var w = Enumerable.Range(0, 257).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float clip = 1.3f;
        var r = FakeWeight(w, clip, bits);
        int qmax = (1 << (bits - 1)) - 1, qmin = -(1 << (bits - 1));
        float scale = clip / qmax;
        for (int i = 0; i < w.Length; i++)
        {
            float q = Math.Clamp(MathF.Round(w[i] / scale, MidpointRounding.ToEven), qmin, qmax);
            Assert.Equal(q * scale, r[i]);
        }
        // The value at +clip is the top code; everything beyond clamps there.
        Assert.Equal(clip, FakeWeight(new[] { clip }, clip, bits)[0], 6);
        Assert.Equal(qmax * scale, FakeWeight(new[] { 100f }, clip, bits)[0]);
        Assert.Equal(qmin * scale, FakeWeight(new[] { -100f }, clip, bits)[0]);
    }

    [Fact]
    public void Weight_ZeroClip_UsesScaleOne_NoNaN()
    {
        var r = FakeWeight(new[] { 0f, 0f, 0f }, 0f, 4);
        Assert.Equal(new[] { 0f, 0f, 0f }, r);
    }

    [Fact]
    public void Activation_HandComputed_2Bit()
    {
        // Range [-1, 3], 2 bits: scale 4/3, zero point round(0.75) = 1, codes 0..3 -> values -4/3, 0, 4/3, 8/3.
        var p = ActivationQuantParams.FromRange(-1, 3, 2);
        Assert.Equal(4f / 3, p.Scale, 6);
        Assert.Equal(1, p.ZeroPoint);
        using var x = tensor(new[] { -1f, 0f, 0.6f, 0.7f, 3f, 10f, -10f });
        using var s = tensor(p.Scale);
        using var z = tensor((float)p.ZeroPoint);
        var r = Values(FakeQuant.Activation(x, s, z, 2));
        float q = p.Scale;
        Assert.Equal(new[] { -q, 0f, 0f, q, 2 * q, 2 * q, -q }, r);
    }

    [Fact]
    public void Activation_ConstantAndZeroRanges()
    {
        // A constant positive input: range widened to [0, 3]; 3 maps to the top code.
        var p = ActivationQuantParams.FromRange(3, 3, 8);
        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(3f / 255, p.Scale);
        // An all-zero input: the smallest step, zero point 0, zero stays exactly zero.
        var z0 = ActivationQuantParams.FromRange(0, 0, 4);
        Assert.Equal(FakeQuant.MinActivationScale, z0.Scale);
        Assert.Equal(0, z0.ZeroPoint);
        using var x = zeros(5);
        var r = Values(FakeQuant.Activation(x, tensor(z0.Scale), tensor(0f), 4));
        Assert.All(r, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(-0.7f, 2.2f, 4)]
    [InlineData(0.5f, 6f, 8)]
    [InlineData(-3f, -1f, 3)]
    [InlineData(-1e-3f, 5f, 2)]
    public void ActivationParams_TorchEqualsRuntimeRule(float lo, float hi, int bits)
    {
        var expected = ActivationQuantParams.FromRange(lo, hi, bits);
        var (s, z) = FakeQuant.ActivationParams(tensor(lo), tensor(hi), bits);
        Assert.Equal(expected.Scale, s.item<float>());
        Assert.Equal(expected.ZeroPoint, (int)z.item<float>());
    }

    [Fact]
    public void Activation_MatchesRuntimeQuantizeDequantize()
    {
        var rng = new Random(3);
        var values = Enumerable.Range(0, 1000).Select(_ => (float)(rng.NextDouble() * 6 - 2)).ToArray();
        foreach (int bits in new[] { 2, 4, 8 })
        {
            var p = ActivationQuantParams.FromRange(-1.5f, 3f, bits);
            using var x = tensor(values);
            var r = Values(FakeQuant.Activation(x, tensor(p.Scale), tensor((float)p.ZeroPoint), bits));
            for (int i = 0; i < values.Length; i++) Assert.Equal(p.Dequantize(p.Quantize(values[i])), r[i]);
        }
    }

    [Fact]
    public void RoundSte_PassesGradientUnchanged()
    {
        using var x = tensor(new[] { -1.5f, 0.2f, 0.5f, 2.7f }).requires_grad_();
        FakeQuant.RoundSte(x).mul(tensor(new[] { 1f, 2f, 3f, 4f })).sum().backward();
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, Values(x.grad!));
        Assert.Equal(new[] { -2f, 0f, 0f, 3f }, Values(FakeQuant.RoundSte(x)));
    }

    [Fact]
    public void WeightSte_GradientInsideRangeOnly_AndLsqClipGradient()
    {
        const int bits = 3;
        int qmax = 3, qmin = -4;
        float clip = 1.2f, s = clip / qmax;
        var w0 = new[] { -2f, -0.5f, 0.1f, 0.55f, 1.1f, 1.3f, 5f };
        using var w = tensor(w0).reshape(1, 1, -1).requires_grad_();
        using var a = tensor(new[] { clip }).reshape(1, 1, 1).requires_grad_();
        FakeQuant.Weight(w, a, bits).sum().backward();
        var gw = Values(w.grad!);
        var ga = a.grad!.item<float>();
        double expectedGa = 0;
        for (int i = 0; i < w0.Length; i++)
        {
            float v = w0[i] / s;
            // The STE mask is on the rounded code (PyTorch fake_quantize's rule): round(v) within [qmin, qmax].
            float r = MathF.Round(v, MidpointRounding.ToEven);
            bool inside = r >= qmin && r <= qmax;
            Assert.Equal(inside ? 1f : 0f, gw[i]);
            // LSQ: dŵ/ds = round(v) − v inside, the clamped code outside; s = a/qmax.
            double dds = inside ? r - v : (r < qmin ? qmin : qmax);
            expectedGa += dds / qmax;
        }
        Assert.Equal(expectedGa, ga, 4);
    }

    [Fact]
    public void ActivationSte_GradientsForInputAndScale()
    {
        const int bits = 2;
        float s = 0.5f, z = 1f; // representable range [(0−1)·0.5, (3−1)·0.5] = [−0.5, 1]
        var x0 = new[] { -2f, -0.3f, 0.2f, 0.9f, 3f };
        using var x = tensor(x0).requires_grad_();
        using var st = tensor(s).requires_grad_();
        FakeQuant.Activation(x, st, tensor(z), bits).sum().backward();
        var gx = Values(x.grad!);
        double expectedGs = 0;
        for (int i = 0; i < x0.Length; i++)
        {
            float v = x0[i] / s;
            float q = MathF.Round(v, MidpointRounding.ToEven) + z;
            bool inside = q >= 0 && q <= 3;
            Assert.Equal(inside ? 1f : 0f, gx[i]);
            expectedGs += inside ? MathF.Round(v, MidpointRounding.ToEven) - v : (q < 0 ? -z : 3 - z);
        }
        Assert.Equal(expectedGs, st.grad!.item<float>(), 4);
    }

    [Fact]
    public void GradScale_ScalesOnlyTheGradient()
    {
        using var a = tensor(2f).requires_grad_();
        var y = FakeQuant.GradScale(a, 0.25);
        Assert.Equal(2f, y.item<float>());
        (y * 3).backward();
        Assert.Equal(0.75f, a.grad!.item<float>());
    }
}
