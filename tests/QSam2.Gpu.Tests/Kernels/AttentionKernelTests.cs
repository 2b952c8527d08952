using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>
/// Flash-style device attention against <c>AttentionCore.Attention_Reference</c> and the CPU <c>Sam2Ops.HieraAttention</c>
/// (windows, heads, q-pooling). The online softmax normalises in a different order, so this is a tolerance test.
/// </summary>
[Trait("Category", "Cuda")]
public class AttentionKernelTests
{
    private const float Tolerance = 2e-5f;

    [Theory]
    [InlineData(13, 29, 3, 24)]
    [InlineData(7, 70, 1, 40)]
    public void Attention_MatchesReference(int nq, int nk, int heads, int headDim)
    {
        int c = heads * headDim;
        var r = new Random(nq * nk);
        var q = Data.Floats(r, nq * c, 2f);
        var k = Data.Floats(r, nk * c, 2f);
        var v = Data.Floats(r, nk * c, 1f);
        var expected = new float[nq * c];
        AttentionCore.Attention_Reference(q, c, k, c, v, c, expected, c, nq, nk, heads, headDim, 1f / MathF.Sqrt(headDim));

        using var arena = new TestArena();
        long qa = arena.Put(q), ka = arena.Put(k), va = arena.Put(v);
        long o = arena.Reserve(4L * nq * c);
        GpuSam2Ops.Attention(arena.Backend, qa, nq, ka, va, nk, heads, headDim, o, -1);
        Compare.Close(expected, arena.Floats(o, nq * c), "attention", Tolerance);
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
        Compare.Close(expected, arena.Floats(o, windows * lq * c), "Hiera attention", Tolerance);
    }
}
