using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// SAM2's <c>LayerNorm2d</c> on planar (NCHW, batch 1) data <c>x[c·P + p]</c>, P = H·W pixels: for every pixel,
/// mean and biased variance over the C channels, <c>y = γ_c·(x − μ)/√(σ² + eps) + β_c</c>. (On channels-last data
/// the same operation is <see cref="LayerNormKernels"/> over the last dimension.) Vectorised across pixels:
/// 8 pixels' statistics are accumulated down the channel planes. x and y must not alias.
/// </summary>
public static class LayerNorm2dKernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void LayerNorm2d(ReadOnlySpan<float> x, Span<float> y, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        if (KernelIsa.UseAvx2Fma) LayerNorm2d_Avx2Fma(x, y, channels, pixels, gamma, beta, eps);
        else LayerNorm2d_Portable(x, y, channels, pixels, gamma, beta, eps);
    }

    /// <summary>Scalar definition.</summary>
    public static void LayerNorm2d_Reference(ReadOnlySpan<float> x, Span<float> y, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        Check(nameof(LayerNorm2d_Reference), x, y, channels, pixels, gamma, beta);
        for (int p = 0; p < pixels; p++) Pixel(x, y, channels, pixels, p, gamma, beta, eps);
    }

    /// <summary><see cref="Vector{T}"/> version (vectorised across pixels).</summary>
    public static void LayerNorm2d_Portable(ReadOnlySpan<float> x, Span<float> y, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        Check(nameof(LayerNorm2d_Portable), x, y, channels, pixels, gamma, beta);
        int vc = Vector<float>.Count, p = 0;
        float inv = 1f / channels;
        for (; p + vc <= pixels; p += vc)
        {
            var sum = Vector<float>.Zero;
            for (int c = 0; c < channels; c++) sum += new Vector<float>(x.Slice(c * pixels + p));
            var mean = sum * inv;
            var sq = Vector<float>.Zero;
            for (int c = 0; c < channels; c++)
            {
                var d = new Vector<float>(x.Slice(c * pixels + p)) - mean;
                sq = Vector.FusedMultiplyAdd(d, d, sq);
            }
            var rstd = Vector<float>.One / Vector.SquareRoot(sq * inv + new Vector<float>(eps));
            for (int c = 0; c < channels; c++)
            {
                var v = (new Vector<float>(x.Slice(c * pixels + p)) - mean) * rstd;
                Vector.FusedMultiplyAdd(v, new Vector<float>(gamma[c]), new Vector<float>(beta[c])).CopyTo(y.Slice(c * pixels + p));
            }
        }
        for (; p < pixels; p++) Pixel(x, y, channels, pixels, p, gamma, beta, eps);
    }

    /// <summary>AVX2 + FMA version (vectorised across pixels).</summary>
    public static void LayerNorm2d_Avx2Fma(ReadOnlySpan<float> x, Span<float> y, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(LayerNorm2d_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(LayerNorm2d_Avx2Fma), x, y, channels, pixels, gamma, beta);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        var inv = Vector256.Create(1f / channels);
        var veps = Vector256.Create(eps);
        int p = 0;
        for (; p + 8 <= pixels; p += 8)
        {
            var sum = Vector256<float>.Zero;
            for (int c = 0; c < channels; c++) sum = Avx.Add(sum, Vector256.LoadUnsafe(ref xs, (nuint)(c * pixels + p)));
            var mean = Avx.Multiply(sum, inv);
            var sq = Vector256<float>.Zero;
            for (int c = 0; c < channels; c++)
            {
                var d = Avx.Subtract(Vector256.LoadUnsafe(ref xs, (nuint)(c * pixels + p)), mean);
                sq = Fma.MultiplyAdd(d, d, sq);
            }
            var rstd = Avx.Divide(Vector256.Create(1f), Avx.Sqrt(Fma.MultiplyAdd(sq, inv, veps)));
            for (int c = 0; c < channels; c++)
            {
                var v = Avx.Multiply(Avx.Subtract(Vector256.LoadUnsafe(ref xs, (nuint)(c * pixels + p)), mean), rstd);
                Fma.MultiplyAdd(v, Vector256.Create(gamma[c]), Vector256.Create(beta[c])).StoreUnsafe(ref ys, (nuint)(c * pixels + p));
            }
        }
        for (; p < pixels; p++) Pixel(x, y, channels, pixels, p, gamma, beta, eps);
    }

    private static void Pixel(ReadOnlySpan<float> x, Span<float> y, int channels, int pixels, int p,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        float sum = 0f;
        for (int c = 0; c < channels; c++) sum += x[c * pixels + p];
        float mean = sum / channels;
        float sq = 0f;
        for (int c = 0; c < channels; c++)
        {
            float d = x[c * pixels + p] - mean;
            sq = MathF.FusedMultiplyAdd(d, d, sq);
        }
        float rstd = 1f / MathF.Sqrt(sq / channels + eps);
        for (int c = 0; c < channels; c++) y[c * pixels + p] = MathF.FusedMultiplyAdd((x[c * pixels + p] - mean) * rstd, gamma[c], beta[c]);
    }

    private static void Check(string name, ReadOnlySpan<float> x, Span<float> y, int channels, int pixels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        KernelArgs.Positive(name, nameof(channels), channels);
        KernelArgs.NonNegative(name, nameof(pixels), pixels);
        KernelArgs.Length(name, "x", x.Length, (long)channels * pixels);
        KernelArgs.Length(name, "y", y.Length, (long)channels * pixels);
        KernelArgs.Length(name, "gamma", gamma.Length, channels);
        KernelArgs.Length(name, "beta", beta.Length, channels);
    }
}
