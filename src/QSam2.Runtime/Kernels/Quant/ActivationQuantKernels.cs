using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Float → uint8 activation codes for the input of a quantized layer whose producer is not a GEMM
/// (e.g. after LayerNorm): <c>q = clamp(round_half_even(x / s) + zp, 0, 2^b − 1)</c>
/// (<see cref="ActivationQuantParams.Quantize"/>). True division, not a reciprocal multiply, so every version
/// and the TorchSharp fake-quant give identical codes.
/// </summary>
public static class ActivationQuantKernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void Quantize(ReadOnlySpan<float> x, Span<byte> q, ActivationQuantParams p)
    {
        if (KernelIsa.UseAvx2Fma) Quantize_Avx2(x, q, p);
        else Quantize_Portable(x, q, p);
    }

    /// <summary>Scalar definition.</summary>
    public static void Quantize_Reference(ReadOnlySpan<float> x, Span<byte> q, ActivationQuantParams p)
    {
        Check(nameof(Quantize_Reference), x, q, p);
        for (int i = 0; i < x.Length; i++) q[i] = p.Quantize(x[i]);
    }

    /// <summary><see cref="Vector{T}"/> version.</summary>
    public static void Quantize_Portable(ReadOnlySpan<float> x, Span<byte> q, ActivationQuantParams p)
    {
        Check(nameof(Quantize_Portable), x, q, p);
        int vc = Vector<float>.Count, i = 0;
        var s = new Vector<float>(p.Scale);
        var zp = new Vector<float>(p.ZeroPoint);
        var hi = new Vector<float>(p.QMax);
        for (; i + vc <= x.Length; i += vc)
        {
            var t = Vector.Round(new Vector<float>(x.Slice(i)) / s) + zp;
            t = Vector.ConditionalSelect(Vector.LessThan(t, Vector<float>.Zero), Vector<float>.Zero, t);
            t = Vector.ConditionalSelect(Vector.GreaterThan(t, hi), hi, t);
            var ints = Vector.ConvertToInt32(t);
            for (int j = 0; j < vc; j++) q[i + j] = (byte)ints[j];
        }
        for (; i < x.Length; i++) q[i] = p.Quantize(x[i]);
    }

    /// <summary>AVX2 version (16 values per step).</summary>
    public static void Quantize_Avx2(ReadOnlySpan<float> x, Span<byte> q, ActivationQuantParams p)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException($"{nameof(Quantize_Avx2)} needs AVX2");
        Check(nameof(Quantize_Avx2), x, q, p);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref byte qs = ref MemoryMarshal.GetReference(q);
        var s = Vector256.Create(p.Scale);
        var zp = Vector256.Create((float)p.ZeroPoint);
        var hi = Vector256.Create((float)p.QMax);
        int i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            var t0 = Avx.Min(Avx.Max(Avx.Add(Avx.RoundToNearestInteger(Avx.Divide(Vector256.LoadUnsafe(ref xs, (nuint)i), s)), zp), Vector256<float>.Zero), hi);
            var t1 = Avx.Min(Avx.Max(Avx.Add(Avx.RoundToNearestInteger(Avx.Divide(Vector256.LoadUnsafe(ref xs, (nuint)i + 8), s)), zp), Vector256<float>.Zero), hi);
            var words = Vector256.Narrow(Avx.ConvertToVector256Int32(t0).AsUInt32(), Avx.ConvertToVector256Int32(t1).AsUInt32());
            Vector256.Narrow(words, words).GetLower().StoreUnsafe(ref qs, (nuint)i);
        }
        for (; i < x.Length; i++) q[i] = p.Quantize(x[i]);
    }

    private static void Check(string name, ReadOnlySpan<float> x, Span<byte> q, ActivationQuantParams p)
    {
        p.Validate(name);
        KernelArgs.Length(name, "q", q.Length, x.Length);
    }
}
