using System.Numerics;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>Portable float GEMM over packed panels: 4 rows × 16 columns with <see cref="Vector{T}"/> accumulators.</summary>
internal static class GemmF32Portable
{
    private const int W = GemmF32.PanelWidth;

    public static void Run(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> packed, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        int vc = Vector<float>.Count, nv = W / vc; // Vector<float>.Count is 4, 8 or 16: always divides 16
        Span<Vector<float>> acc = stackalloc Vector<float>[4 * nv];
        Span<float> tile = stackalloc float[4 * W];
        int panels = (n + W - 1) / W;
        for (int p = 0; p < panels; p++)
        {
            var bp = packed.Slice(p * k * W, k * W);
            int cols = Math.Min(W, n - p * W);
            for (int r0 = 0; r0 < m; r0 += 4)
            {
                int rows = Math.Min(4, m - r0);
                acc.Clear();
                for (int kk = 0; kk < k; kk++)
                {
                    for (int v = 0; v < nv; v++)
                    {
                        var bv = new Vector<float>(bp.Slice(kk * W + v * vc, vc));
                        for (int r = 0; r < rows; r++)
                        {
                            acc[r * nv + v] = Vector.FusedMultiplyAdd(new Vector<float>(a[(r0 + r) * lda + kk]), bv, acc[r * nv + v]);
                        }
                    }
                }
                for (int r = 0; r < rows; r++)
                    for (int v = 0; v < nv; v++) acc[r * nv + v].CopyTo(tile.Slice(r * W + v * vc, vc));
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        int col = p * W + j;
                        EpilogueStore.Scalar(tile[r * W + j] + (ep.Bias.IsEmpty ? 0f : ep.Bias[col]), r0 + r, col, ep, output);
                    }
                }
            }
        }
    }
}
