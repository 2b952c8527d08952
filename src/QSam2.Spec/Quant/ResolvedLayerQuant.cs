namespace QSam2.Spec.Quant;

/// <summary>
/// The fully decided quantization of one weight layer after applying defaults and rules:
/// either float (<see cref="KeepFloat"/>) or weight bits + granularity + activation bits.
/// Immutable and structurally equatable (part of the generator's cached model).
/// </summary>
public sealed record ResolvedLayerQuant(bool KeepFloat, int WeightBits, QuantGranularity Granularity, int GroupSize, int ActivationBits)
{
    public static ResolvedLayerQuant Float { get; } = new(true, 32, QuantGranularity.PerTensor, 0, 32);

    /// <summary>E.g. <c>float</c>, <c>W4A8 per_channel</c>, <c>W4A8 per_group(32)</c>.</summary>
    public string Describe() => KeepFloat
        ? "float"
        : $"W{WeightBits}A{ActivationBits} " + GranularityText;

    /// <summary>Canonical granularity text as in the quant spec: per_channel, per_tensor, per_group(32).</summary>
    public string GranularityText => Granularity switch
    {
        QuantGranularity.PerChannel => "per_channel",
        QuantGranularity.PerTensor => "per_tensor",
        _ => "per_group(" + GroupSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")",
    };
}
