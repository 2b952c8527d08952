using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>
/// Device attention against the CPU path (<c>AttentionCore.Attention</c>, <c>Sam2Ops.HieraAttention</c> with windows,
/// heads and q-pooling): bit-identical on the CPU accelerator when the CPU path runs AVX2, and within rounding of
/// <c>Attention_Reference</c>.
/// </summary>
[Trait("Category", "Cuda")]
public class AttentionKernelTests
{
    private const float Tolerance = 2e-5f;

    private static float Exactness => TestDevice.ExactAgainstSimd ? 0f : Tolerance;

    [Theory]
    [InlineData(13, 29, 3, 24)]
    [InlineData(7, 70, 1, 40)]
    [InlineData(5, 8, 2, 16)]
    public void Attention_MatchesReference(int nq, int nk, int heads, int headDim)
    {
        int c = heads * headDim;
        var r = new Random(nq * nk);
        var q = Data.Floats(r, nq * c, 2f);
        var k = Data.Floats(r, nk * c, 2f);
        var v = Data.Floats(r, nk * c, 1f);
        var reference = new float[nq * c];
        AttentionCore.Attention_Reference(q, c, k, c, v, c, reference, c, nq, nk, heads, headDim, 1f / MathF.Sqrt(headDim));
        var expected = new float[nq * c];
        AttentionCore.Attention(q, c, k, c, v, c, expected, c, nq, nk, heads, headDim, 1f / MathF.Sqrt(headDim),
            new float[AttentionCore.ScratchFloats(nq, nk, headDim)]);

        using var arena = new TestArena();
        long qa = arena.Put(q), ka = arena.Put(k), va = arena.Put(v);
        long o = arena.Reserve(4L * nq * c);
        GpuSam2Ops.Attention(arena.Backend, qa, nq, ka, va, nk, heads, headDim, o, -1);
        var actual = arena.Floats(o, nq * c);
        Compare.Close(expected, actual, "attention vs the CPU path", Exactness);
        Compare.Close(reference, actual, "attention vs Attention_Reference", Tolerance);
    }

    [Theory]
    [InlineData(3, 4, 4, 2, 16, 1)]
    [InlineData(2, 6, 6, 3, 8, 2)]
    public void HieraAttention_MatchesCpuPath(int windows, int height, int width, int heads, int headDim, int qStride)
    {
        int c = heads * headDim, l = height * width, lq = height / qStride * (width / qStride);
        var r = new Random(windows * 100 + qStride);
        var qkv = Data.Floats(r, windows * l * 3 * c, 2f);

        // CPU path through a SegmenterArena with the generator's layout: qkv, output, one scratch slot (pooled q + attention).
        long pooledBytes = qStride > 1 ? (4L * lq * c + 63) / 64 * 64 : 0;
        long scratchBytes = (pooledBytes + 4 * AttentionCore.ScratchFloats(lq, l, headDim) + 63) / 64 * 64;
        long qkvBytes = (4L * qkv.Length + 63) / 64 * 64, outBytes = (4L * windows * lq * c + 63) / 64 * 64;
        var cpu = new SegmenterArena(qkvBytes + outBytes + scratchBytes);
        qkv.CopyTo(cpu.F(0, qkv.Length));
        Sam2Ops.HieraAttention(cpu, 0, windows, height, width, heads, headDim, qStride, qkvBytes, workers: 1, scratch: qkvBytes + outBytes, scratchBytes: scratchBytes);
        var expected = cpu.F(qkvBytes, windows * lq * c).ToArray();

        using var arena = new TestArena();
        long at = arena.Put(qkv);
        long o = arena.Reserve(4L * windows * lq * c);
        GpuSam2Ops.HieraAttention(arena.Backend, at, windows, height, width, heads, headDim, qStride, o);
        Compare.Close(expected, arena.Floats(o, windows * lq * c), "Hiera attention", Exactness);
    }
}
