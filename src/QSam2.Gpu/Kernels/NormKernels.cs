using ILGPU;
using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Row-wise normalizations, one thread per row (SAM2's 1k–65k token rows keep the device busy; each row stays in one
/// thread's cache lines). The arithmetic and its order are those of the CPU path's AVX2 kernels
/// (<c>LayerNorm_Avx2Fma</c>, <c>Softmax_Rows_Avx2Fma</c>): eight-lane partial sums reduced as in <see cref="LaneSum"/>,
/// FMA where they use FMA. With IEEE division and square root (PTX <c>div.rn</c>/<c>sqrt.rn</c>, and the CPU
/// accelerator) the results equal the SIMD path's bit for bit.
/// </summary>
public static class NormKernels
{
    /// <summary><c>y = fma((x − μ)·(1/√(σ² + eps)), γ, β)</c> per row (two passes, biased variance).</summary>
    public static void LayerNorm(Index1D row, ArrayView<float> x, ArrayView<float> y, int dim, int ld,
        ArrayView<float> gamma, ArrayView<float> beta, float eps)
    {
        long o = (long)row.X * ld;
        float l0 = 0f, l1 = 0f, l2 = 0f, l3 = 0f, l4 = 0f, l5 = 0f, l6 = 0f, l7 = 0f;
        int i = 0;
        for (; i + 8 <= dim; i += 8)
        {
            l0 += x[o + i]; l1 += x[o + i + 1]; l2 += x[o + i + 2]; l3 += x[o + i + 3];
            l4 += x[o + i + 4]; l5 += x[o + i + 5]; l6 += x[o + i + 6]; l7 += x[o + i + 7];
        }
        float total = LaneSum.Horizontal(l0, l1, l2, l3, l4, l5, l6, l7);
        for (; i < dim; i++) total += x[o + i];
        float mean = total / dim;

        l0 = l1 = l2 = l3 = l4 = l5 = l6 = l7 = 0f;
        for (i = 0; i + 8 <= dim; i += 8)
        {
            float d0 = x[o + i] - mean, d1 = x[o + i + 1] - mean, d2 = x[o + i + 2] - mean, d3 = x[o + i + 3] - mean;
            float d4 = x[o + i + 4] - mean, d5 = x[o + i + 5] - mean, d6 = x[o + i + 6] - mean, d7 = x[o + i + 7] - mean;
            l0 = Fma(d0, d0, l0); l1 = Fma(d1, d1, l1); l2 = Fma(d2, d2, l2); l3 = Fma(d3, d3, l3);
            l4 = Fma(d4, d4, l4); l5 = Fma(d5, d5, l5); l6 = Fma(d6, d6, l6); l7 = Fma(d7, d7, l7);
        }
        float sq = LaneSum.Horizontal(l0, l1, l2, l3, l4, l5, l6, l7);
        for (; i < dim; i++)
        {
            float d = x[o + i] - mean;
            sq = Fma(d, d, sq);
        }
        float rstd = 1f / MathF.Sqrt(sq / dim + eps);
        for (i = 0; i < dim; i++) y[o + i] = Fma((x[o + i] - mean) * rstd, gamma[i], beta[i]);
    }

    /// <summary><c>t = x·scale; y = exp(t − max t) · (1 / Σ exp(t − max t))</c> per row, exp of <c>fma(x, scale, −max)</c>.</summary>
    public static void SoftmaxRows(Index1D row, ArrayView<float> x, ArrayView<float> y, int cols, int ld, float scale)
    {
        long o = (long)row.X * ld;
        float max = float.NegativeInfinity;
        for (int i = 0; i < cols; i++) max = MathF.Max(max, x[o + i] * scale);
        var lanes = LocalMemory.Allocate<float>(16);
        for (int l = 0; l < 16; l++) lanes[l] = 0f;
        int j = 0;
        for (; j + 16 <= cols; j += 16)
        {
            for (int l = 0; l < 16; l++)
            {
                float e = DeviceMath.Exp(Fma(x[o + j + l], scale, -max));
                y[o + j + l] = e;
                lanes[l] += e;
            }
        }
        for (; j + 8 <= cols; j += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                float e = DeviceMath.Exp(Fma(x[o + j + l], scale, -max));
                y[o + j + l] = e;
                lanes[l] += e;
            }
        }
        float total = LaneSum.Horizontal(lanes[0] + lanes[8], lanes[1] + lanes[9], lanes[2] + lanes[10], lanes[3] + lanes[11],
            lanes[4] + lanes[12], lanes[5] + lanes[13], lanes[6] + lanes[14], lanes[7] + lanes[15]);
        for (; j < cols; j++)
        {
            float e = DeviceMath.Exp(Fma(x[o + j], scale, -max));
            y[o + j] = e;
            total += e;
        }
        float inv = 1f / total;
        for (int i = 0; i < cols; i++) y[o + i] *= inv;
    }
}
