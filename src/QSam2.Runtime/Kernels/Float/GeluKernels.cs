using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// Element-wise exact-erf GELU over a span (<c>y[i] = gelu(x[i])</c>; x and y may be the same span).
/// All versions are bit-identical (see <see cref="GeluF32"/>); GEMMs fuse the same function in their epilogue.
/// </summary>
public static class GeluKernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        if (KernelIsa.UseAvx2Fma) Gelu_Avx2Fma(x, y);
        else Gelu_Portable(x, y);
    }

    /// <summary>Scalar definition.</summary>
    public static void Gelu_Reference(ReadOnlySpan<float> x, Span<float> y)
    {
        Check(nameof(Gelu_Reference), x, y);
        for (int i = 0; i < x.Length; i++) y[i] = GeluF32.Scalar(x[i]);
    }

    /// <summary><see cref="Vector{T}"/> version.</summary>
    public static void Gelu_Portable(ReadOnlySpan<float> x, Span<float> y)
    {
        Check(nameof(Gelu_Portable), x, y);
        int vc = Vector<float>.Count, i = 0;
        for (; i + vc <= x.Length; i += vc) GeluF32.Portable(new Vector<float>(x.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = GeluF32.Scalar(x[i]);
    }

    /// <summary>AVX2 + FMA version.</summary>
    public static void Gelu_Avx2Fma(ReadOnlySpan<float> x, Span<float> y)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Gelu_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(Gelu_Avx2Fma), x, y);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + 8 <= x.Length; i += 8) GeluF32.Avx2Fma(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < x.Length; i++) y[i] = GeluF32.Scalar(x[i]);
    }

    private static void Check(string name, ReadOnlySpan<float> x, Span<float> y) => KernelArgs.Length(name, "y", y.Length, x.Length);
}
