namespace QSam2.Spec.Quant;

/// <summary>How many weight scales a quantized layer has (symmetric signed codes in all cases).</summary>
public enum QuantGranularity
{
    /// <summary>One scale per output channel (the default).</summary>
    PerChannel,
    /// <summary>One scale per output channel and per run of <c>group_size</c> consecutive reduction elements.</summary>
    PerGroup,
    /// <summary>One scale for the whole weight.</summary>
    PerTensor,
}
