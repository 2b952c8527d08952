namespace QSam2.Runtime.Kernels;

/// <summary>
/// What a GEMM does to each output element after the dot product, in this fixed order
/// (docs/quantization.md §5): add <see cref="Bias"/> (float GEMM) or dequantize and add bias (integer GEMM),
/// then <see cref="Gelu"/>, then add <see cref="Residual"/>, then store as float or quantize (see <see cref="GemmOutput"/>).
/// </summary>
public readonly ref struct GemmEpilogue
{
    /// <summary>Per-output-column bias [N]; empty for none.</summary>
    public ReadOnlySpan<float> Bias { get; init; }

    /// <summary>Apply exact-erf GELU after the bias.</summary>
    public bool Gelu { get; init; }

    /// <summary>
    /// Residual added after GELU: element (m, n) is <c>Residual[m·ResidualStride + n]</c>; empty for none. It may be the
    /// output buffer itself (same stride) for an in-place <c>x = x + f(x)</c>: each element is read before it is written.
    /// </summary>
    public ReadOnlySpan<float> Residual { get; init; }

    /// <summary>Row stride of <see cref="Residual"/> in elements.</summary>
    public int ResidualStride { get; init; }

    /// <summary>No bias, no activation, no residual.</summary>
    public static GemmEpilogue None => default;
}
