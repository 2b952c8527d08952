using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Kernels;

/// <summary>
/// Destination of a GEMM: either float32 values, or uint8 activation codes for the next quantized layer
/// (<c>q = clamp(round_half_even(y / s) + zp, 0, 2^b − 1)</c>, see <see cref="ActivationQuantParams.Quantize"/>).
/// Element (m, n) lives at index <c>m·Stride + n</c>.
/// </summary>
public readonly ref struct GemmOutput
{
    /// <summary>Float destination (empty when <see cref="IsQuantized"/>).</summary>
    public Span<float> Values { get; }

    /// <summary>Code destination (empty unless <see cref="IsQuantized"/>).</summary>
    public Span<byte> Codes { get; }

    /// <summary>Row stride in elements.</summary>
    public int Stride { get; }

    /// <summary>Output quantization (only when <see cref="IsQuantized"/>).</summary>
    public ActivationQuantParams Quant { get; }

    /// <summary>True when the output is quantized to codes.</summary>
    public bool IsQuantized { get; }

    private GemmOutput(Span<float> values, Span<byte> codes, int stride, ActivationQuantParams quant, bool quantized)
    {
        Values = values;
        Codes = codes;
        Stride = stride;
        Quant = quant;
        IsQuantized = quantized;
    }

    /// <summary>Write float32 results.</summary>
    public static GemmOutput Float(Span<float> values, int stride) => new(values, default, stride, default, false);

    /// <summary>Write uint8 codes quantized with <paramref name="quant"/>.</summary>
    public static GemmOutput Quantized(Span<byte> codes, int stride, ActivationQuantParams quant) => new(default, codes, stride, quant, true);

    /// <summary>Length of whichever destination span is in use.</summary>
    internal int Length => IsQuantized ? Codes.Length : Values.Length;
}
