using QSam2.Gpu.Kernels;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>The device float GEMM against <c>GemmF32.Gemm_F32_Reference</c> (same FMA order: bit-identical on the CPU accelerator).</summary>
[Trait("Category", "Cuda")]
public class FloatGemmKernelTests
{
    private static void Run<TShape>(int rows, int seed)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        var c = new GemmCase<TShape>(rows, seed, weightBits: 32, codesInput: false);
        int m = c.Rows, n = c.N, k = c.K;
        var ep = new GemmEpilogue { Bias = c.Bias, Gelu = s.Gelu, Residual = c.Residual, ResidualStride = n };
        var expectedFloats = new float[m * n];
        var expectedCodes = new byte[m * n];
        GemmF32.Gemm_F32_Reference(c.Matrix, k, m, c.FloatWeights, k, n, k, ep,
            s.QuantizeOutput ? GemmOutput.Quantized(expectedCodes, n, c.OutputQuant) : GemmOutput.Float(expectedFloats, n));

        using var arena = new TestArena();
        long input = arena.Put(c.Source);
        long residual = c.Residual != null ? arena.Put(c.Residual) : -1;
        long output = arena.Reserve(s.QuantizeOutput ? m * n : 4L * m * n);
        var g = arena.Backend;
        var layer = g.Own(GpuLinearLayer.FromFloat(g.Device, "float layer", c.FloatWeights, c.Bias, n, k));
        var next = s.QuantizeOutput ? g.Own(QuantGemmKernelTests.NextLayer(g, c.OutputQuant)) : null;
        GpuSam2Ops.FloatGemm<TShape>(g, layer, input, m, output, residual, next);

        if (s.QuantizeOutput) Compare.Codes(expectedCodes, arena.Bytes(output, m * n), typeof(TShape).Name);
        else Compare.Floats(expectedFloats, arena.Floats(output, m * n), typeof(TShape).Name);
    }

    [Fact] public void Gelu_Residual_OddShape() => Run<FloatK37N21GeluResidual>(45, 21);
    [Fact] public void RequantizedOutput() => Run<FloatK37N21Requant>(19, 22);
    [Fact] public void PatchEmbedding_Im2ColPlanar() => Run<PatchEmbed3x13x11>(0, 23);
    [Fact] public void Conv3x3_Im2ColChannelsLast() => Run<Conv3x3ChannelsLast>(0, 24);

    [Fact]
    public void CodesIntoAFloatLayer_FailsClearly()
    {
        using var arena = new TestArena();
        long buffer = arena.Reserve(4096);
        var g = arena.Backend;
        var layer = g.Own(GpuLinearLayer.FromFloat(g.Device, "neck.convs.0", new float[23 * 40], null, 23, 40));
        var e = Assert.Throws<InvalidOperationException>(() => GpuSam2Ops.FloatGemm<CodesK40N23>(g, layer, buffer, 2, buffer, -1, null));
        Assert.Contains("neck.convs.0", e.Message);
    }
}
