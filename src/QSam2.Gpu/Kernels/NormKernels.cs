using ILGPU;
using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Row-wise normalizations, one thread per row, with the scalar references' arithmetic in their order (so the CPU
/// accelerator reproduces <c>LayerNorm_Reference</c> and <c>Softmax_Rows_Reference</c> bit for bit; on a GPU only
/// the sqrt / reciprocal rounding of the device may differ). Rows are independent, which is the parallelism here:
/// SAM2's token counts (1k–65k rows) keep the device busy while each row stays in one thread's cache lines.
/// </summary>
public static class NormKernels
{
    /// <summary><c>y = fma((x − μ)·(1/√(σ² + eps)), γ, β)</c> per row (two passes, biased variance).</summary>
    public static void LayerNorm(Index1D row, ArrayView<float> x, ArrayView<float> y, int dim, int ld,
        ArrayView<float> gamma, ArrayView<float> beta, float eps)
    {
        long o = (long)row.X * ld;
        float total = 0f;
        for (int i = 0; i < dim; i++) total += x[o + i];
        float mean = total / dim;
        float sq = 0f;
        for (int i = 0; i < dim; i++)
        {
            float d = x[o + i] - mean;
            sq = Fma(d, d, sq);
        }
        float rstd = 1f / MathF.Sqrt(sq / dim + eps);
        for (int i = 0; i < dim; i++) y[o + i] = Fma((x[o + i] - mean) * rstd, gamma[i], beta[i]);
    }

    /// <summary><c>t = x·scale; y = exp(t − max t) · (1 / Σ exp(t − max t))</c> per row.</summary>
    public static void SoftmaxRows(Index1D row, ArrayView<float> x, ArrayView<float> y, int cols, int ld, float scale)
    {
        long o = (long)row.X * ld;
        float max = float.NegativeInfinity;
        for (int i = 0; i < cols; i++) max = MathF.Max(max, x[o + i] * scale);
        float total = 0f;
        for (int i = 0; i < cols; i++)
        {
            float e = DeviceMath.Exp(x[o + i] * scale - max);
            y[o + i] = e;
            total += e;
        }
        float inv = 1f / total;
        for (int i = 0; i < cols; i++) y[o + i] *= inv;
    }
}
