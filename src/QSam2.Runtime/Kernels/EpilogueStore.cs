using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Kernels;

/// <summary>
/// The part of every GEMM epilogue after the bias/dequantization step: GELU, residual add, store or quantize.
/// <see cref="Scalar"/> is the definition; <see cref="Row16Avx2"/> performs the same IEEE operations on 16
/// columns at once, so both produce identical floats and identical output codes.
/// </summary>
internal static class EpilogueStore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scalar(float y, int m, int n, in GemmEpilogue ep, in GemmOutput output)
    {
        if (ep.Gelu) y = GeluF32.Scalar(y);
        if (!ep.Residual.IsEmpty) y += ep.Residual[m * ep.ResidualStride + n];
        int idx = m * output.Stride + n;
        if (output.IsQuantized) output.Codes[idx] = output.Quant.Quantize(y);
        else output.Values[idx] = y;
    }

    /// <summary>Columns n..n+15 of row m (all valid; bounds were checked at the kernel entry).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row16Avx2(Vector256<float> y0, Vector256<float> y1, int m, int n, in GemmEpilogue ep, in GemmOutput output)
    {
        if (ep.Gelu)
        {
            y0 = GeluF32.Avx2Fma(y0);
            y1 = GeluF32.Avx2Fma(y1);
        }
        if (!ep.Residual.IsEmpty)
        {
            ref float r = ref MemoryMarshal.GetReference(ep.Residual);
            nuint ri = (nuint)(m * ep.ResidualStride + n);
            y0 = Avx.Add(y0, Vector256.LoadUnsafe(ref r, ri));
            y1 = Avx.Add(y1, Vector256.LoadUnsafe(ref r, ri + 8));
        }
        nuint oi = (nuint)(m * output.Stride + n);
        if (output.IsQuantized)
        {
            var q = output.Quant;
            var s = Vector256.Create(q.Scale);
            var zp = Vector256.Create((float)q.ZeroPoint);
            var hi = Vector256.Create((float)q.QMax);
            var t0 = Avx.Min(Avx.Max(Avx.Add(Avx.RoundToNearestInteger(Avx.Divide(y0, s)), zp), Vector256<float>.Zero), hi);
            var t1 = Avx.Min(Avx.Max(Avx.Add(Avx.RoundToNearestInteger(Avx.Divide(y1, s)), zp), Vector256<float>.Zero), hi);
            var words = Vector256.Narrow(Avx.ConvertToVector256Int32(t0).AsUInt32(), Avx.ConvertToVector256Int32(t1).AsUInt32());
            var bytes = Vector256.Narrow(words, words);
            bytes.GetLower().StoreUnsafe(ref MemoryMarshal.GetReference(output.Codes), oi);
        }
        else
        {
            ref float o = ref MemoryMarshal.GetReference(output.Values);
            y0.StoreUnsafe(ref o, oi);
            y1.StoreUnsafe(ref o, oi + 8);
        }
    }
}
