namespace QSam2.Spec.Quant;

/// <summary>
/// A partial per-layer quantization setting as written in a quant spec (<c>defaults</c> or one
/// <c>layers</c> entry). Null means "not set here"; rules are applied in document order and each
/// set field overrides earlier ones. Only structure lives here: calibrated numbers (scales, zero
/// points, clip ranges) belong to the <c>.qsw</c>.
/// Immutable and structurally equatable (the generator caches on it).
/// </summary>
public sealed record QuantLayerConfig
{
    /// <summary>2, 3, 4 or 8.</summary>
    public int? WeightBits { get; init; }

    public QuantGranularity? Granularity { get; init; }

    /// <summary>Required when <see cref="Granularity"/> is per_group.</summary>
    public int? GroupSize { get; init; }

    /// <summary>2..8 by the format; the generator accepts the combinations it has kernels for.</summary>
    public int? ActivationBits { get; init; }

    /// <summary>True: the layer stays float32 (weights and input), bits are ignored.</summary>
    public bool? KeepFloat { get; init; }

    /// <summary>Fields of <paramref name="later"/> that are set win.</summary>
    public QuantLayerConfig Merge(QuantLayerConfig later) => new()
    {
        WeightBits = later.WeightBits ?? WeightBits,
        Granularity = later.Granularity ?? Granularity,
        GroupSize = later.GroupSize ?? GroupSize,
        ActivationBits = later.ActivationBits ?? ActivationBits,
        KeepFloat = later.KeepFloat ?? KeepFloat,
    };
}
