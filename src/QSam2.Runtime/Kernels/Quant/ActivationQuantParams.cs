namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Static asymmetric per-tensor activation quantization (docs/quantization.md §3):
/// unsigned codes <c>q ∈ [0, 2^Bits − 1]</c>, <c>q = clamp(round_half_even(x / Scale) + ZeroPoint, 0, QMax)</c>,
/// <c>x̂ = (q − ZeroPoint)·Scale</c>. Codes are stored one per byte for every bit-width.
/// </summary>
/// <param name="Scale">Step size, finite and &gt; 0.</param>
/// <param name="ZeroPoint">Integer code of 0.0, in [0, QMax].</param>
/// <param name="Bits">Code width, 2..8 (the recipes use 4 and 8).</param>
public readonly record struct ActivationQuantParams(float Scale, int ZeroPoint, int Bits)
{
    /// <summary>Largest code, 2^Bits − 1.</summary>
    public int QMax => (1 << Bits) - 1;

    /// <summary>Smallest float step PyTorch's observers allow (float32 machine epsilon); used when max == min.</summary>
    public const float MinScale = 1.1920929e-07f;

    /// <summary>
    /// Parameters from a calibrated range. The range is first widened to include 0 (so 0.0 is exact), then
    /// <c>scale = max((max − min) / QMax, MinScale)</c> and <c>zero_point = clamp(round_half_even(−min / scale), 0, QMax)</c>,
    /// all in float32 (PyTorch MinMaxObserver's affine rule).
    /// </summary>
    public static ActivationQuantParams FromRange(float min, float max, int bits)
    {
        if (bits < 2 || bits > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "activation bits must be 2..8");
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
        {
            throw new ArgumentException($"activation range [{min}, {max}] is not a finite, ordered interval");
        }
        float lo = MathF.Min(min, 0f), hi = MathF.Max(max, 0f);
        int qmax = (1 << bits) - 1;
        float scale = MathF.Max((hi - lo) / qmax, MinScale);
        float zp = MathF.Round(-lo / scale, MidpointRounding.ToEven);
        zp = zp < 0 ? 0 : zp > qmax ? qmax : zp;
        return new ActivationQuantParams(scale, (int)zp, bits);
    }

    /// <summary>Throws a clear error naming <paramref name="what"/> when the parameters are unusable.</summary>
    public void Validate(string what)
    {
        if (Bits < 2 || Bits > 8) throw new ArgumentException($"{what}: activation bits {Bits} outside 2..8");
        if (!float.IsFinite(Scale) || Scale <= 0) throw new ArgumentException($"{what}: activation scale {Scale} must be finite and > 0");
        if (ZeroPoint < 0 || ZeroPoint > QMax) throw new ArgumentException($"{what}: zero point {ZeroPoint} outside [0, {QMax}] for {Bits}-bit activations");
    }

    /// <summary>Quantizes one value (the scalar definition every kernel reproduces bit for bit).</summary>
    public byte Quantize(float x)
    {
        float t = MathF.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint;
        t = t < 0f ? 0f : t;
        t = t > QMax ? QMax : t;
        return (byte)t;
    }

    /// <summary>The value a code stands for: <c>(q − ZeroPoint)·Scale</c>.</summary>
    public float Dequantize(byte q) => (q - ZeroPoint) * Scale;
}
