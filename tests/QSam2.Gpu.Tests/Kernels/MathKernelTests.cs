using QSam2.Gpu.Kernels;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Quant;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>Device exp, GELU and the activation quantizer against the runtime's scalar definitions.</summary>
[Trait("Category", "Cuda")]
public class MathKernelTests
{
    private static float[] Inputs()
    {
        var r = new Random(3);
        var v = Data.Floats(r, 500, 12f).ToList();
        v.AddRange(new[] { 0f, -0f, 1e-8f, -1e-8f, 88.5f, -87.5f, -200f, 200f, 0.5f, -0.5f, 10f, -10f, 3.5f, 2.5f });
        return v.ToArray();
    }

    [Fact]
    public void Exp_IsExpF32Scalar()
    {
        var x = Inputs();
        using var arena = new TestArena();
        long input = arena.Put(x);
        long output = arena.Reserve(4L * x.Length);
        var g = arena.Backend;
        GpuLaunch.Exp(g.Device, g.F(input, x.Length), g.F(output, x.Length), x.Length);
        Compare.Floats(x.Select(ExpF32.Scalar).ToArray(), arena.Floats(output, x.Length), "exp", gpuTolerance: 1e-6f);
    }

    [Fact]
    public void Gelu_IsGeluF32Scalar()
    {
        var x = Inputs();
        using var arena = new TestArena();
        long at = arena.Put(x);
        GpuSam2Ops.Gelu(arena.Backend, at, x.Length);
        Compare.Floats(x.Select(GeluF32.Scalar).ToArray(), arena.Floats(at, x.Length), "gelu", gpuTolerance: 1e-6f);
    }

    /// <summary>Exact .5 ties (round half to even), clamping at both ends, and 4-bit codes.</summary>
    [Theory]
    [InlineData(0.5f, 10, 8)]
    [InlineData(0.037f, 131, 8)]
    [InlineData(0.25f, 3, 4)]
    public void Quantize_IsActivationQuantParams(float scale, int zeroPoint, int bits)
    {
        var p = new ActivationQuantParams(scale, zeroPoint, bits);
        var x = Inputs().Concat(Enumerable.Range(-300, 600).Select(i => i * scale / 2)).ToArray();
        using var arena = new TestArena();
        long input = arena.Put(x);
        long output = arena.Reserve(x.Length);
        var g = arena.Backend;
        GpuLaunch.Quantize(g.Device, g.F(input, x.Length), g.B(output, x.Length), x.Length, p.Scale, p.ZeroPoint, p.QMax);
        var got = arena.Bytes(output, x.Length);
        for (int i = 0; i < x.Length; i++) Assert.True(p.Quantize(x[i]) == got[i], $"code of {x[i]:R} is {got[i]}, expected {p.Quantize(x[i])}");
    }
}
