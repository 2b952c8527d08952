using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// AVX2 + FMA float GEMM: rows in L2-sized blocks; within a block, for each 16-column panel, 6-row tiles with
/// 12 ymm accumulators, one broadcast per row and two panel loads per k (the classic 6×16 BLIS shape,
/// ≈2 FMA/cycle on Zen3). Rows past M reuse the last row's pointer and are not stored.
/// </summary>
internal static unsafe class GemmF32Avx2
{
    private const int W = GemmF32.PanelWidth;

    public static void Run(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> packed, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        if (m == 0) return;
        float* tile = stackalloc float[6 * W];
        fixed (float* pa = a)
        fixed (float* pb = packed)
        {
            int panels = (n + W - 1) / W;
            int mb = BlockRows(k);
            for (int m0 = 0; m0 < m; m0 += mb)
            {
                int mEnd = Math.Min(m, m0 + mb);
                for (int p = 0; p < panels; p++)
                {
                    float* bp = pb + (long)p * k * W;
                    for (int r0 = m0; r0 < mEnd; r0 += 6)
                    {
                        int rows = Math.Min(6, mEnd - r0);
                        float* a0 = pa + (long)r0 * lda;
                        float* a1 = pa + (long)(r0 + Math.Min(1, rows - 1)) * lda;
                        float* a2 = pa + (long)(r0 + Math.Min(2, rows - 1)) * lda;
                        float* a3 = pa + (long)(r0 + Math.Min(3, rows - 1)) * lda;
                        float* a4 = pa + (long)(r0 + Math.Min(4, rows - 1)) * lda;
                        float* a5 = pa + (long)(r0 + Math.Min(5, rows - 1)) * lda;
                        Tile6x16(a0, a1, a2, a3, a4, a5, bp, k, tile);
                        StoreTile(tile, rows, r0, p * W, n, ep, output);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Rows per block: the A block (≈256 KiB) stays in L2 while every panel of B passes over it, so A is read
    /// from memory once instead of once per panel; a multiple of the 6-row tile.
    /// </summary>
    private static int BlockRows(int k) => Math.Clamp(256 * 1024 / (k * sizeof(float)) / 6 * 6, 6, 1020);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x16(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, float* b, int k, float* tile)
    {
        var c00 = Vector256<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00; var c20 = c00; var c21 = c00;
        var c30 = c00; var c31 = c00; var c40 = c00; var c41 = c00; var c50 = c00; var c51 = c00;
        for (int kk = 0; kk < k; kk++, b += W)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var x = Avx.BroadcastScalarToVector256(a0 + kk);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Avx.BroadcastScalarToVector256(a1 + kk);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Avx.BroadcastScalarToVector256(a2 + kk);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Avx.BroadcastScalarToVector256(a3 + kk);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Avx.BroadcastScalarToVector256(a4 + kk);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Avx.BroadcastScalarToVector256(a5 + kk);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        Avx.Store(tile, c00); Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10); Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20); Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30); Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40); Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50); Avx.Store(tile + 88, c51);
    }

    private static void StoreTile(float* tile, int rows, int m0, int n0, int n, in GemmEpilogue ep, in GemmOutput output)
    {
        int cols = Math.Min(W, n - n0);
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * W;
            if (cols == W)
            {
                var y0 = Avx.LoadVector256(t);
                var y1 = Avx.LoadVector256(t + 8);
                if (ep.Bias.IsEmpty)
                {
                    y0 = Avx.Add(y0, Vector256<float>.Zero);
                    y1 = Avx.Add(y1, Vector256<float>.Zero);
                }
                else
                {
                    y0 = Avx.Add(y0, Vector256.Create(ep.Bias.Slice(n0, 8)));
                    y1 = Avx.Add(y1, Vector256.Create(ep.Bias.Slice(n0 + 8, 8)));
                }
                EpilogueStore.Row16Avx2(y0, y1, m0 + r, n0, ep, output);
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    EpilogueStore.Scalar(t[j] + (ep.Bias.IsEmpty ? 0f : ep.Bias[n0 + j]), m0 + r, n0 + j, ep, output);
                }
            }
        }
    }
}
