using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.VectorMath;

/// <summary>
/// float32 e^x, Cephes <c>expf</c> (range reduction x = n·ln2 + r with ln2 split in two, degree-5 polynomial
/// on |r| ≤ ln2/2, scale by 2^n through the exponent bits); about 1 ulp on the working range.
/// The scalar, <see cref="Vector{T}"/> and AVX2 versions execute the same IEEE operations in the same order
/// (FMA where written, round-half-even for n), so all three return bit-identical results. That is what lets
/// softmax/GELU kernels be tested bit-exactly against their scalar references.
/// Domain: inputs below −87 return +0 (true value &lt; 1.7e−38); inputs above 88 saturate at e^88 ≈ 1.65e38;
/// NaN is not propagated (no kernel here produces one from finite data).
/// </summary>
public static class ExpF32
{
    internal const float Hi = 88.0f;
    internal const float Lo = -87.0f;
    internal const float Log2E = 1.44269504088896341f;
    internal const float Ln2Hi = 0.693359375f;     // few mantissa bits: n·Ln2Hi is exact
    internal const float Ln2Lo = -2.12194440e-4f;  // ln2 − Ln2Hi
    internal const float P0 = 1.9875691500e-4f;
    internal const float P1 = 1.3981999507e-3f;
    internal const float P2 = 8.3334519073e-3f;
    internal const float P3 = 4.1665795894e-2f;
    internal const float P4 = 1.6666665459e-1f;
    internal const float P5 = 5.0000001201e-1f;

    /// <summary>Scalar definition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scalar(float x)
    {
        bool tiny = x < Lo;
        x = x > Hi ? Hi : x;
        x = x < Lo ? Lo : x;
        float n = MathF.Round(x * Log2E, MidpointRounding.ToEven);
        float r = MathF.FusedMultiplyAdd(n, -Ln2Hi, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2Lo, r);
        float z = r * r;
        float y = MathF.FusedMultiplyAdd(P0, r, P1);
        y = MathF.FusedMultiplyAdd(y, r, P2);
        y = MathF.FusedMultiplyAdd(y, r, P3);
        y = MathF.FusedMultiplyAdd(y, r, P4);
        y = MathF.FusedMultiplyAdd(y, r, P5);
        y = MathF.FusedMultiplyAdd(y, z, r);
        y += 1f;
        float pow2 = BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        float result = y * pow2;
        return tiny ? 0f : result;
    }

    /// <summary>Portable vector version (any <see cref="Vector{T}"/> width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Portable(Vector<float> x)
    {
        var tiny = Vector.LessThan(x, new Vector<float>(Lo));
        x = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(Hi)), new Vector<float>(Hi), x);
        x = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(Lo)), new Vector<float>(Lo), x);
        var n = Vector.Round(x * new Vector<float>(Log2E));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Hi), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Lo), r);
        var z = r * r;
        var y = Vector.FusedMultiplyAdd(new Vector<float>(P0), r, new Vector<float>(P1));
        y = Vector.FusedMultiplyAdd(y, r, new Vector<float>(P2));
        y = Vector.FusedMultiplyAdd(y, r, new Vector<float>(P3));
        y = Vector.FusedMultiplyAdd(y, r, new Vector<float>(P4));
        y = Vector.FusedMultiplyAdd(y, r, new Vector<float>(P5));
        y = Vector.FusedMultiplyAdd(y, z, r);
        y += Vector<float>.One;
        var pow2 = Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23).As<int, float>();
        return Vector.ConditionalSelect(tiny, Vector<float>.Zero, y * pow2);
    }

    /// <summary>AVX2 + FMA version (caller guarantees <see cref="KernelIsa.UseAvx2Fma"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Avx2Fma(Vector256<float> x)
    {
        var tiny = Avx.CompareLessThan(x, Vector256.Create(Lo));
        x = Avx.Min(x, Vector256.Create(Hi));
        x = Avx.Max(x, Vector256.Create(Lo));
        var n = Avx.RoundToNearestInteger(Avx.Multiply(x, Vector256.Create(Log2E)));
        var r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Fma.MultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var z = Avx.Multiply(r, r);
        var y = Fma.MultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P2));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P3));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P4));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P5));
        y = Fma.MultiplyAdd(y, z, r);
        y = Avx.Add(y, Vector256.Create(1f));
        var pow2 = Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32(n), Vector256.Create(127)), 23).AsSingle();
        return Avx.AndNot(tiny, Avx.Multiply(y, pow2));
    }
}
