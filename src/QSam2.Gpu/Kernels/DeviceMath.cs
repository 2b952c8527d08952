using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Device versions of the runtime's float32 math (<c>QSam2.Runtime.Kernels.VectorMath</c>): Cephes <c>expf</c>,
/// Abramowitz–Stegun erf, exact-erf GELU and the activation quantizer. They run the same IEEE operations in the same
/// order as the scalar definitions (FMA where those use FMA, true division, round half to even), so on the CPU
/// accelerator they are bit-identical to <c>ExpF32.Scalar</c>, <c>GeluF32.Scalar</c> and
/// <c>ActivationQuantParams.Quantize</c>; the GEMM epilogue relies on it to produce the CPU's output codes.
/// </summary>
public static class DeviceMath
{
    private const float ExpHi = 88.0f;
    private const float ExpLo = -87.0f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;

    private const float InvSqrt2 = 0.707106781186547524f;
    private const float ErfP = 0.3275911f;
    private const float A1 = 0.254829592f;
    private const float A2 = -0.284496736f;
    private const float A3 = 1.421413741f;
    private const float A4 = -1.453152027f;
    private const float A5 = 1.061405429f;

    /// <summary>e^x (ExpF32.Scalar): below −87 gives 0, above 88 saturates.</summary>
    public static float Exp(float x)
    {
        bool tiny = x < ExpLo;
        x = x > ExpHi ? ExpHi : x;
        x = x < ExpLo ? ExpLo : x;
        float n = RoundEven(x * Log2E);
        float r = Fma(n, -Ln2Hi, x);
        r = Fma(n, -Ln2Lo, r);
        float z = r * r;
        float y = Fma(P0, r, P1);
        y = Fma(y, r, P2);
        y = Fma(y, r, P3);
        y = Fma(y, r, P4);
        y = Fma(y, r, P5);
        y = Fma(y, z, r);
        y += 1f;
        float pow2 = BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        float result = y * pow2;
        return tiny ? 0f : result;
    }

    /// <summary>erf (GeluF32.Erf): sign applied by XOR of the sign bit.</summary>
    public static float Erf(float u)
    {
        float a = MathF.Abs(u);
        float t = 1f / Fma(ErfP, a, 1f);
        float r = Fma(A5, t, A4);
        r = Fma(r, t, A3);
        r = Fma(r, t, A2);
        r = Fma(r, t, A1);
        float e = Exp(-(u * u));
        float oneMinus = Fma(-e * t, r, 1f);
        int sign = BitConverter.SingleToInt32Bits(u) & unchecked((int)0x8000_0000);
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(oneMinus) ^ sign);
    }

    /// <summary>Exact-erf GELU (GeluF32.Scalar).</summary>
    public static float Gelu(float x) => x * 0.5f * (1f + Erf(x * InvSqrt2));

    /// <summary>Activation code <c>clamp(rne(x / scale) + zp, 0, qmax)</c> (ActivationQuantParams.Quantize).</summary>
    public static int Quantize(float x, float scale, int zeroPoint, int qmax)
    {
        float t = RoundEven(x / scale) + zeroPoint;
        t = t < 0f ? 0f : t;
        t = t > qmax ? qmax : t;
        return (int)t;
    }
}
