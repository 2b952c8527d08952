namespace QSam2.Spec.Quant;

/// <summary>
/// Stable codes for quant-spec problems, range QS02xx (QS00xx reading and QS01xx architecture codes are in
/// <see cref="Diagnostics.SpecErrorCodes"/>; the generator's own codes are QS03xx). The Roslyn generator reports
/// them as diagnostic ids located in the quant spec file, so never renumber; add new ones at the end.
/// </summary>
public static class QuantErrorCodes
{
    /// <summary>Weight or activation bits outside what the format or the generator supports.</summary>
    public const string UnsupportedBits = "QS0201";

    /// <summary>A <c>layers</c> key names (or a pattern matches) no weight layer of the architecture.</summary>
    public const string UnknownLayer = "QS0202";

    /// <summary>A setting does not fit the layer's weight shape (group size does not divide the reduction size, ...).</summary>
    public const string ShapeMismatch = "QS0203";

    /// <summary>The quant spec was made for another architecture (name or <c>arch_sha256</c> differ).</summary>
    public const string ArchMismatch = "QS0204";

    /// <summary>The quant spec's <c>format_version</c> is not one this build reads.</summary>
    public const string UnsupportedFormatVersion = "QS0205";

    /// <summary>After defaults and rules, a quantized layer still lacks weight or activation bits.</summary>
    public const string IncompleteLayer = "QS0206";
}
