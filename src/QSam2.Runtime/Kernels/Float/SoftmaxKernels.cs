using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// Row-wise numerically stable softmax with an optional logit scale (attention's 1/√d):
/// <c>t = x·scale; y = exp(t − max t) · (1 / Σ exp(t − max t))</c>, like PyTorch's CPU softmax (which also
/// multiplies by the reciprocal of the sum). Rows are <paramref name="cols"/> long at stride <paramref name="ld"/>;
/// x and y may alias. The versions differ only in the summation order of Σ (tolerance, not bit equality).
/// </summary>
public static class SoftmaxKernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void Softmax_Rows(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, int ld, float scale = 1f)
    {
        if (KernelIsa.UseAvx2Fma) Softmax_Rows_Avx2Fma(x, y, rows, cols, ld, scale);
        else Softmax_Rows_Portable(x, y, rows, cols, ld, scale);
    }

    /// <summary>Scalar definition.</summary>
    public static void Softmax_Rows_Reference(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, int ld, float scale = 1f)
    {
        Check(nameof(Softmax_Rows_Reference), x, y, rows, cols, ld);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * ld, cols);
            var yr = y.Slice(r * ld, cols);
            float max = float.NegativeInfinity;
            for (int i = 0; i < cols; i++) max = MathF.Max(max, xr[i] * scale);
            float sum = 0f;
            for (int i = 0; i < cols; i++)
            {
                float e = ExpF32.Scalar(xr[i] * scale - max);
                yr[i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < cols; i++) yr[i] *= inv;
        }
    }

    /// <summary><see cref="Vector{T}"/> version.</summary>
    public static void Softmax_Rows_Portable(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, int ld, float scale = 1f)
    {
        Check(nameof(Softmax_Rows_Portable), x, y, rows, cols, ld);
        int vc = Vector<float>.Count;
        var vs = new Vector<float>(scale);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * ld, cols);
            var yr = y.Slice(r * ld, cols);
            var vmax = new Vector<float>(float.NegativeInfinity);
            int i = 0;
            for (; i + vc <= cols; i += vc) vmax = Vector.Max(vmax, new Vector<float>(xr.Slice(i)) * vs);
            float max = float.NegativeInfinity;
            for (int j = 0; j < vc; j++) max = MathF.Max(max, vmax[j]);
            for (; i < cols; i++) max = MathF.Max(max, xr[i] * scale);

            var vm = new Vector<float>(max);
            var vsum = Vector<float>.Zero;
            for (i = 0; i + vc <= cols; i += vc)
            {
                var e = ExpF32.Portable(new Vector<float>(xr.Slice(i)) * vs - vm);
                e.CopyTo(yr.Slice(i));
                vsum += e;
            }
            float sum = Vector.Sum(vsum);
            for (; i < cols; i++)
            {
                float e = ExpF32.Scalar(xr[i] * scale - max);
                yr[i] = e;
                sum += e;
            }
            var inv = new Vector<float>(1f / sum);
            for (i = 0; i + vc <= cols; i += vc) (new Vector<float>(yr.Slice(i)) * inv).CopyTo(yr.Slice(i));
            for (; i < cols; i++) yr[i] *= inv[0];
        }
    }

    /// <summary>AVX2 + FMA version.</summary>
    public static void Softmax_Rows_Avx2Fma(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, int ld, float scale = 1f)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Softmax_Rows_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(Softmax_Rows_Avx2Fma), x, y, rows, cols, ld);
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * ld, cols);
            float sum = ExpRow_Avx2Fma(x.Slice(r * ld, cols), yr, scale);
            ref float ys = ref MemoryMarshal.GetReference(yr);
            var inv = Vector256.Create(1f / sum);
            int i = 0;
            for (; i + 8 <= cols; i += 8) Avx.Multiply(Vector256.LoadUnsafe(ref ys, (nuint)i), inv).StoreUnsafe(ref ys, (nuint)i);
            for (; i < cols; i++) yr[i] *= inv[0];
        }
    }

    /// <summary>
    /// The unnormalized half of <see cref="Softmax_Rows_Avx2Fma"/> for one row: <c>y ← exp(x·scale − max(x·scale))</c>,
    /// returning Σ y. <paramref name="x"/> and <paramref name="y"/> may be the same row (each block is read before it
    /// is written). Shared with <see cref="AttentionCore"/>, which folds 1/Σ into its A·V output instead.
    /// </summary>
    internal static float ExpRow_Avx2Fma(ReadOnlySpan<float> x, Span<float> y, float scale)
    {
        int cols = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        var vs = Vector256.Create(scale);
        var vmax = Vector256.Create(float.NegativeInfinity);
        int i = 0;
        for (; i + 8 <= cols; i += 8) vmax = Avx.Max(vmax, Avx.Multiply(Vector256.LoadUnsafe(ref xs, (nuint)i), vs));
        float max = float.NegativeInfinity;
        for (int j = 0; j < 8; j++) max = MathF.Max(max, vmax.GetElement(j));
        for (; i < cols; i++) max = MathF.Max(max, x[i] * scale);

        var vm = Vector256.Create(max);
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        i = 0;
        for (; i + 16 <= cols; i += 16)
        {
            var e0 = ExpF32.Avx2Fma(Fma.MultiplySubtract(Vector256.LoadUnsafe(ref xs, (nuint)i), vs, vm));
            var e1 = ExpF32.Avx2Fma(Fma.MultiplySubtract(Vector256.LoadUnsafe(ref xs, (nuint)i + 8), vs, vm));
            e0.StoreUnsafe(ref ys, (nuint)i);
            e1.StoreUnsafe(ref ys, (nuint)i + 8);
            s0 = Avx.Add(s0, e0);
            s1 = Avx.Add(s1, e1);
        }
        for (; i + 8 <= cols; i += 8)
        {
            var e0 = ExpF32.Avx2Fma(Fma.MultiplySubtract(Vector256.LoadUnsafe(ref xs, (nuint)i), vs, vm));
            e0.StoreUnsafe(ref ys, (nuint)i);
            s0 = Avx.Add(s0, e0);
        }
        float sum = Vector256.Sum(Avx.Add(s0, s1));
        for (; i < cols; i++)
        {
            float e = ExpF32.Scalar(MathF.FusedMultiplyAdd(x[i], scale, -max));
            y[i] = e;
            sum += e;
        }
        return sum;
    }

    private static void Check(string name, ReadOnlySpan<float> x, Span<float> y, int rows, int cols, int ld)
    {
        KernelArgs.NonNegative(name, nameof(rows), rows);
        KernelArgs.Positive(name, nameof(cols), cols);
        KernelArgs.Matrix(name, "x", x.Length, rows, cols, ld);
        KernelArgs.Matrix(name, "y", y.Length, rows, cols, ld);
    }
}
