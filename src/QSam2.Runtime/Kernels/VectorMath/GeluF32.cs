using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.VectorMath;

/// <summary>
/// Exact-erf GELU, <c>gelu(x) = x·0.5·(1 + erf(x/√2))</c> (PyTorch's default, not the tanh form), in float32.
/// erf is the Abramowitz–Stegun 7.1.26 rational form that PyTorch's own vectorised CPU <c>erf</c> uses:
/// <c>erf(u) = sign(u)·(1 − t·(a1 + a2 t + … + a5 t⁴)·e^{−u²})</c>, <c>t = 1/(1 + p|u|)</c>, absolute error
/// ≤ 1.5e−7, so GELU is within ≈1e−6 of the exact value for |x| ≤ 10 and exact (x or 0) beyond.
/// Scalar, <see cref="Vector{T}"/> and AVX2 versions run the same IEEE operations in the same order and are
/// bit-identical; the quantized-GEMM epilogue relies on that to round output codes identically everywhere.
/// </summary>
public static class GeluF32
{
    internal const float InvSqrt2 = 0.707106781186547524f;
    internal const float P = 0.3275911f;
    internal const float A1 = 0.254829592f;
    internal const float A2 = -0.284496736f;
    internal const float A3 = 1.421413741f;
    internal const float A4 = -1.453152027f;
    internal const float A5 = 1.061405429f;

    /// <summary>Scalar erf (the definition shared by every version).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erf(float u)
    {
        float a = MathF.Abs(u);
        float t = 1f / MathF.FusedMultiplyAdd(P, a, 1f);
        float r = MathF.FusedMultiplyAdd(A5, t, A4);
        r = MathF.FusedMultiplyAdd(r, t, A3);
        r = MathF.FusedMultiplyAdd(r, t, A2);
        r = MathF.FusedMultiplyAdd(r, t, A1);
        float e = ExpF32.Scalar(-(u * u));
        float oneMinus = MathF.FusedMultiplyAdd(-e * t, r, 1f);
        // sign(u) applied by XOR of the sign bit, exactly as the vector versions (and ATen) do.
        int sign = BitConverter.SingleToInt32Bits(u) & unchecked((int)0x8000_0000);
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(oneMinus) ^ sign);
    }

    /// <summary>Scalar GELU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scalar(float x) => x * 0.5f * (1f + Erf(x * InvSqrt2));

    /// <summary>Portable vector GELU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Portable(Vector<float> x)
    {
        var u = x * new Vector<float>(InvSqrt2);
        var a = Vector.Abs(u);
        var t = Vector<float>.One / Vector.FusedMultiplyAdd(new Vector<float>(P), a, Vector<float>.One);
        var r = Vector.FusedMultiplyAdd(new Vector<float>(A5), t, new Vector<float>(A4));
        r = Vector.FusedMultiplyAdd(r, t, new Vector<float>(A3));
        r = Vector.FusedMultiplyAdd(r, t, new Vector<float>(A2));
        r = Vector.FusedMultiplyAdd(r, t, new Vector<float>(A1));
        var e = ExpF32.Portable(-(u * u));
        var oneMinus = Vector.FusedMultiplyAdd(-e * t, r, Vector<float>.One);
        var sign = u.As<float, uint>() & new Vector<uint>(0x8000_0000u);
        var erf = (oneMinus.As<float, uint>() ^ sign).As<uint, float>();
        return x * new Vector<float>(0.5f) * (Vector<float>.One + erf);
    }

    /// <summary>AVX2 + FMA GELU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Avx2Fma(Vector256<float> x)
    {
        var signMask = Vector256.Create(-0f);
        var u = Avx.Multiply(x, Vector256.Create(InvSqrt2));
        var a = Avx.AndNot(signMask, u);
        var t = Avx.Divide(Vector256.Create(1f), Fma.MultiplyAdd(Vector256.Create(P), a, Vector256.Create(1f)));
        var r = Fma.MultiplyAdd(Vector256.Create(A5), t, Vector256.Create(A4));
        r = Fma.MultiplyAdd(r, t, Vector256.Create(A3));
        r = Fma.MultiplyAdd(r, t, Vector256.Create(A2));
        r = Fma.MultiplyAdd(r, t, Vector256.Create(A1));
        var e = ExpF32.Avx2Fma(Avx.Xor(Avx.Multiply(u, u), signMask));
        var oneMinus = Fma.MultiplyAdd(Avx.Multiply(Avx.Xor(e, signMask), t), r, Vector256.Create(1f));
        var erf = Avx.Xor(oneMinus, Avx.And(u, signMask));
        return Avx.Multiply(Avx.Multiply(x, Vector256.Create(0.5f)), Avx.Add(Vector256.Create(1f), erf));
    }
}
