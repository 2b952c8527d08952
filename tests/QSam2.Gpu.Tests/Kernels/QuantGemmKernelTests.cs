using QSam2.Gpu.Kernels;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>
/// The device integer GEMM against <c>QuantGemm.Gemm_Reference</c> (docs/quantization.md §5): every weight width,
/// per-channel and per-group scales, codes / float / im2col inputs and every epilogue (bias, GELU, residual,
/// requantization), on shapes with padding in K, M and N. On the CPU accelerator outputs and codes are bit-identical.
/// </summary>
[Trait("Category", "Cuda")]
public class QuantGemmKernelTests
{
    private static void Run<TCodec, TShape>(int rows, int seed)
        where TCodec : struct, IWeightCodec
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        var c = new GemmCase<TShape>(rows, seed, default(TCodec).Bits, codesInput: s.Input == GemmInput.Codes);
        var w = c.Weights!;
        int m = c.Rows, n = c.N;

        var ep = new GemmEpilogue { Bias = c.Bias, Gelu = s.Gelu, Residual = c.Residual, ResidualStride = n };
        var expectedFloats = new float[m * n];
        var expectedCodes = new byte[m * n];
        QuantGemm.Gemm_Reference(c.InputCodes, c.K, m, c.InputQuant, w, ep,
            s.QuantizeOutput ? GemmOutput.Quantized(expectedCodes, n, c.OutputQuant) : GemmOutput.Float(expectedFloats, n));

        using var arena = new TestArena();
        long input = s.Input == GemmInput.Codes ? arena.Put(c.InputCodes) : arena.Put(c.Source);
        long residual = c.Residual != null ? arena.Put(c.Residual) : -1;
        long output = arena.Reserve(s.QuantizeOutput ? m * n : 4L * m * n);
        var g = arena.Backend;
        var layer = g.Own(GpuLinearLayer.FromQuantized(g.Device, "test layer", w, c.Bias, c.InputQuant));
        var next = s.QuantizeOutput ? g.Own(NextLayer(g, c.OutputQuant)) : null;
        GpuSam2Ops.QuantGemm<TCodec, TShape>(g, layer, input, m, output, residual, next);

        if (s.QuantizeOutput) Compare.Codes(expectedCodes, arena.Bytes(output, m * n), typeof(TShape).Name);
        else Compare.Floats(expectedFloats, arena.Floats(output, m * n), $"W{default(TCodec).Bits} {typeof(TShape).Name}");
    }

    /// <summary>A quantized layer standing for the consumer whose input codes an epilogue writes.</summary>
    internal static GpuLinearLayer NextLayer(GpuSegmenterBackend g, ActivationQuantParams inputQuant) =>
        GpuLinearLayer.FromQuantized(g.Device, "next layer", QuantizedWeights.Create(new sbyte[16], new float[] { 1f }, 1, 16, 8, 0, "next layer"), null, inputQuant);

    [Fact] public void W8_PerChannel_PaddedK() => Run<W8Codec, CodesK40N23>(37, 1);
    [Fact] public void W4_PerChannel_PaddedK() => Run<W4Codec, CodesK40N23>(37, 2);
    [Fact] public void W3_PerChannel_PaddedK() => Run<W3Codec, CodesK40N23>(37, 3);
    [Fact] public void W2_PerChannel_PaddedK() => Run<W2Codec, CodesK40N23>(37, 4);

    [Fact] public void W8_PerGroup_Residual() => Run<W8Codec, GroupedK64G32N37Residual>(21, 5);
    [Fact] public void W4_PerGroup_Residual() => Run<W4Codec, GroupedK64G32N37Residual>(21, 6);
    [Fact] public void W3_PerGroup_Residual() => Run<W3Codec, GroupedK64G32N37Residual>(21, 7);
    [Fact] public void W2_PerGroup_Residual() => Run<W2Codec, GroupedK64G32N37Residual>(21, 8);

    [Fact] public void W8_FloatInput_Gelu_RequantizedOutput() => Run<W8Codec, FloatInGeluRequantK40N23>(29, 9);
    [Fact] public void W4_FloatInput_Gelu_RequantizedOutput() => Run<W4Codec, FloatInGeluRequantK40N23>(29, 10);

    [Fact] public void W8_PatchEmbedding_Im2ColPlanar() => Run<W8Codec, PatchEmbed3x13x11>(0, 11);
    [Fact] public void W4_Conv3x3_Im2ColChannelsLast() => Run<W4Codec, Conv3x3ChannelsLast>(0, 12);

    /// <summary>
    /// With unit scales and no bias the outputs are the int32 accumulators, which must equal an independent int64
    /// <c>Σ (a − zp)·w</c> exactly for every weight width (extreme codes and activations included).
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(2)]
    public void Accumulators_EqualInt64DotProducts(int bits)
    {
        const int m = 13;
        var s = default(AccumulatorK100N19);
        int k = s.K, n = s.N;
        var r = new Random(100 + bits);
        var a = Data.Codes(r, m * k, 255);
        for (int i = 0; i < k; i++) a[i] = 255; // all-255 row: the saturation worst case of the CPU kernels
        var codes = Data.WeightCodes(r, n * k, bits);
        var w = QuantizedWeights.Create(codes, Enumerable.Repeat(1f, n).ToArray(), n, k, bits, 0, "accumulators");
        var aq = new ActivationQuantParams(1f, 77, 8);

        using var arena = new TestArena();
        long input = arena.Put(a);
        long output = arena.Reserve(4L * m * n);
        var g = arena.Backend;
        var layer = g.Own(GpuLinearLayer.FromQuantized(g.Device, "accumulators", w, null, aq));
        switch (bits)
        {
            case 8: GpuSam2Ops.QuantGemm<W8Codec, AccumulatorK100N19>(g, layer, input, m, output, -1, null); break;
            case 4: GpuSam2Ops.QuantGemm<W4Codec, AccumulatorK100N19>(g, layer, input, m, output, -1, null); break;
            case 3: GpuSam2Ops.QuantGemm<W3Codec, AccumulatorK100N19>(g, layer, input, m, output, -1, null); break;
            default: GpuSam2Ops.QuantGemm<W2Codec, AccumulatorK100N19>(g, layer, input, m, output, -1, null); break;
        }
        var got = arena.Floats(output, m * n);
        for (int row = 0; row < m; row++)
            for (int col = 0; col < n; col++)
            {
                long dot = 0;
                for (int kk = 0; kk < k; kk++) dot += (long)(a[row * k + kk] - aq.ZeroPoint) * codes[col * k + kk];
                Assert.True(dot == (long)got[row * n + col], $"W{bits} accumulator [{row}, {col}] is {got[row * n + col]}, int64 dot product {dot}");
            }
    }

    [Fact]
    public void PerGroupSizeNotMultipleOf16_FailsClearly()
    {
        var w = QuantizedWeights.Create(new sbyte[4 * 24], Enumerable.Repeat(1f, 4 * 3).ToArray(), 4, 24, 4, 8, "blocks.0.mlp");
        var e = Assert.Throws<ArgumentException>(() => GpuWeightPacker.Pack(w, "blocks.0.mlp"));
        Assert.Contains("blocks.0.mlp", e.Message);
        Assert.Contains("multiple of 16", e.Message);
    }

    [Fact]
    public void ShapeThatDisagreesWithTheLayer_FailsClearly()
    {
        var c = new GemmCase<CodesK40N23>(4, 1, 8, codesInput: true);
        using var arena = new TestArena();
        long input = arena.Put(c.InputCodes);
        long output = arena.Reserve(4L * 4 * 23);
        var g = arena.Backend;
        var layer = g.Own(GpuLinearLayer.FromQuantized(g.Device, "blocks.3.attn.qkv", c.Weights!, c.Bias, c.InputQuant));
        var e = Assert.Throws<InvalidOperationException>(() => GpuSam2Ops.QuantGemm<W4Codec, CodesK40N23>(g, layer, input, 4, output, -1, null));
        Assert.Contains("blocks.3.attn.qkv", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => GpuSam2Ops.QuantGemm<W8Codec, AccumulatorK100N19>(g, layer, input, 4, output, -1, null));
        Assert.Contains("[23 × 40]", e.Message);
    }
}
