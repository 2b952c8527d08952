using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// LayerNorm over the last dimension (token-major / channels-last data, the Hiera trunk and the decoder):
/// per row, <c>μ = Σx/D</c>, <c>σ² = Σ(x − μ)²/D</c> (biased, two passes for accuracy),
/// <c>y = (x − μ)·(1/√(σ² + eps))·γ + β</c>. Rows of <paramref name="dim"/> at stride <paramref name="ld"/>;
/// x and y may alias. Versions differ only in summation order (tolerance, not bit equality).
/// SAM2 uses eps = 1e−6 in Hiera and LayerNorm2d, 1e−5 in the two-way transformer.
/// </summary>
public static class LayerNormKernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void LayerNorm(ReadOnlySpan<float> x, Span<float> y, int rows, int dim, int ld,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        if (KernelIsa.UseAvx2Fma) LayerNorm_Avx2Fma(x, y, rows, dim, ld, gamma, beta, eps);
        else LayerNorm_Portable(x, y, rows, dim, ld, gamma, beta, eps);
    }

    /// <summary>Scalar definition.</summary>
    public static void LayerNorm_Reference(ReadOnlySpan<float> x, Span<float> y, int rows, int dim, int ld,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        Check(nameof(LayerNorm_Reference), x, y, rows, dim, ld, gamma, beta);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * ld, dim);
            var yr = y.Slice(r * ld, dim);
            float sum = 0f;
            for (int i = 0; i < dim; i++) sum += xr[i];
            float mean = sum / dim;
            float sq = 0f;
            for (int i = 0; i < dim; i++)
            {
                float d = xr[i] - mean;
                sq = MathF.FusedMultiplyAdd(d, d, sq);
            }
            float rstd = 1f / MathF.Sqrt(sq / dim + eps);
            for (int i = 0; i < dim; i++) yr[i] = MathF.FusedMultiplyAdd((xr[i] - mean) * rstd, gamma[i], beta[i]);
        }
    }

    /// <summary><see cref="Vector{T}"/> version.</summary>
    public static void LayerNorm_Portable(ReadOnlySpan<float> x, Span<float> y, int rows, int dim, int ld,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        Check(nameof(LayerNorm_Portable), x, y, rows, dim, ld, gamma, beta);
        int vc = Vector<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * ld, dim);
            var yr = y.Slice(r * ld, dim);
            var vsum = Vector<float>.Zero;
            int i = 0;
            for (; i + vc <= dim; i += vc) vsum += new Vector<float>(xr.Slice(i));
            float sum = Vector.Sum(vsum);
            for (; i < dim; i++) sum += xr[i];
            float mean = sum / dim;
            var vm = new Vector<float>(mean);
            var vsq = Vector<float>.Zero;
            for (i = 0; i + vc <= dim; i += vc)
            {
                var d = new Vector<float>(xr.Slice(i)) - vm;
                vsq = Vector.FusedMultiplyAdd(d, d, vsq);
            }
            float sq = Vector.Sum(vsq);
            for (; i < dim; i++)
            {
                float d = xr[i] - mean;
                sq = MathF.FusedMultiplyAdd(d, d, sq);
            }
            float rstd = 1f / MathF.Sqrt(sq / dim + eps);
            var vr = new Vector<float>(rstd);
            for (i = 0; i + vc <= dim; i += vc)
            {
                var v = Vector.FusedMultiplyAdd((new Vector<float>(xr.Slice(i)) - vm) * vr, new Vector<float>(gamma.Slice(i)), new Vector<float>(beta.Slice(i)));
                v.CopyTo(yr.Slice(i));
            }
            for (; i < dim; i++) yr[i] = MathF.FusedMultiplyAdd((xr[i] - mean) * rstd, gamma[i], beta[i]);
        }
    }

    /// <summary>AVX2 + FMA version.</summary>
    public static void LayerNorm_Avx2Fma(ReadOnlySpan<float> x, Span<float> y, int rows, int dim, int ld,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(LayerNorm_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(LayerNorm_Avx2Fma), x, y, rows, dim, ld, gamma, beta);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(gamma);
        ref float bs = ref MemoryMarshal.GetReference(beta);
        for (int r = 0; r < rows; r++)
        {
            nuint o = (nuint)(r * ld);
            var s0 = Vector256<float>.Zero;
            int i = 0;
            for (; i + 8 <= dim; i += 8) s0 = Avx.Add(s0, Vector256.LoadUnsafe(ref xs, o + (nuint)i));
            float sum = Vector256.Sum(s0);
            for (; i < dim; i++) sum += x[r * ld + i];
            float mean = sum / dim;
            var vm = Vector256.Create(mean);
            var q0 = Vector256<float>.Zero;
            for (i = 0; i + 8 <= dim; i += 8)
            {
                var d = Avx.Subtract(Vector256.LoadUnsafe(ref xs, o + (nuint)i), vm);
                q0 = Fma.MultiplyAdd(d, d, q0);
            }
            float sq = Vector256.Sum(q0);
            for (; i < dim; i++)
            {
                float d = x[r * ld + i] - mean;
                sq = MathF.FusedMultiplyAdd(d, d, sq);
            }
            float rstd = 1f / MathF.Sqrt(sq / dim + eps);
            var vr = Vector256.Create(rstd);
            for (i = 0; i + 8 <= dim; i += 8)
            {
                var v = Avx.Multiply(Avx.Subtract(Vector256.LoadUnsafe(ref xs, o + (nuint)i), vm), vr);
                Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref gs, (nuint)i), Vector256.LoadUnsafe(ref bs, (nuint)i)).StoreUnsafe(ref ys, o + (nuint)i);
            }
            for (; i < dim; i++) y[r * ld + i] = MathF.FusedMultiplyAdd((x[r * ld + i] - mean) * rstd, gamma[i], beta[i]);
        }
    }

    private static void Check(string name, ReadOnlySpan<float> x, Span<float> y, int rows, int dim, int ld,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        KernelArgs.NonNegative(name, nameof(rows), rows);
        KernelArgs.Positive(name, nameof(dim), dim);
        KernelArgs.Matrix(name, "x", x.Length, rows, dim, ld);
        KernelArgs.Matrix(name, "y", y.Length, rows, dim, ld);
        KernelArgs.Length(name, "gamma", gamma.Length, dim);
        KernelArgs.Length(name, "beta", beta.Length, dim);
    }
}
