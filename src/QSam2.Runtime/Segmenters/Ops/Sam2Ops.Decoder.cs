using System.Runtime.Intrinsics;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Segmenters;

// Mask decoder glue: the SAM attention core between projections, and the hypernetwork mask product.
public static partial class Sam2Ops
{
    /// <summary>
    /// <c>output = softmax(q·kᵀ/√d)·v</c> per head; q is [queries, heads·headDim], k and v [keys, heads·headDim].
    /// Scratch floats: <see cref="AttentionCore.ScratchFloats"/>.
    /// </summary>
    public static void Attention(SegmenterArena a, long q, int queries, long k, long v, int keys, int heads, int headDim, long output, long scratch)
    {
        int c = heads * headDim;
        var s = a.F(scratch, (int)AttentionCore.ScratchFloats(queries, keys, headDim));
        AttentionCore.Attention(a.F(q, queries * c), c, a.F(k, keys * c), c, a.F(v, keys * c), c, a.F(output, queries * c), c,
            queries, keys, heads, headDim, 1f / MathF.Sqrt(headDim), s);
    }

    /// <summary>
    /// The same attention for many image-token queries against the few prompt tokens (<see cref="FewKeysAttention"/>:
    /// 8 queries per vector instead of a GEMM tile holding a handful of keys); needs no scratch.
    /// </summary>
    public static void AttentionFewKeys(SegmenterArena a, long q, int queries, long k, long v, int keys, int heads, int headDim, long output)
    {
        int c = heads * headDim;
        FewKeysAttention.Attention(a.F(q, queries * c), c, a.F(k, keys * c), c, a.F(v, keys * c), c, a.F(output, queries * c), c,
            queries, keys, heads, headDim, 1f / MathF.Sqrt(headDim));
    }

    /// <summary>
    /// Low-res mask logits: <c>masks[m, p] = Σ_c hyper[m, c] · upscaled[p, c]</c> for <paramref name="count"/> mask tokens
    /// and <paramref name="pixels"/> pixels (upscaled is channels-last; masks are planar [count, pixels]).
    /// </summary>
    public static void MaskProduct(SegmenterArena a, long hyper, long upscaled, int pixels, int channels, long masks, int count)
    {
        var h = a.F(hyper, count * channels);
        var u = a.F(upscaled, pixels * channels);
        var dst = a.F(masks, count * pixels);
        // 65536 pixels × 4 masks × 32 channels per prompt: vectorised over channels (8 lanes, then one horizontal sum)
        // instead of a scalar FMA chain; only the summation order differs (tolerance, as the other float kernels).
        int vec = Vector256.IsHardwareAccelerated ? channels / 8 * 8 : 0;
        for (int m = 0; m < count; m++)
        {
            var row = h.Slice(m * channels, channels);
            var outRow = dst.Slice(m * pixels, pixels);
            for (int p = 0; p < pixels; p++)
            {
                var px = u.Slice(p * channels, channels);
                var accV = Vector256<float>.Zero;
                int c = 0;
                for (; c < vec; c += 8)
                    accV = Vector256.FusedMultiplyAdd(Vector256.Create(row.Slice(c, 8)), Vector256.Create(px.Slice(c, 8)), accV);
                float acc = Vector256.Sum(accV);
                for (; c < channels; c++) acc = MathF.FusedMultiplyAdd(row[c], px[c], acc);
                outRow[p] = acc;
            }
        }
    }
}
