namespace QSam2.Spec.Arch.Validation;

/// <summary>
/// Upper bounds far beyond any SAM2 (the largest released model is 1024 px, 48 blocks, 1152 channels) that
/// keep derived sizes, MAC counts and allocations inside 32/64-bit arithmetic, so a typo such as
/// <c>"stages": [2000000000]</c> is reported instead of exhausting memory.
/// </summary>
public static class ArchLimits
{
    public const int MaxImageSize = 16384;
    public const int MaxStages = 8;
    public const int MaxBlocksPerStage = 256;
    /// <summary>Channels, heads, hidden widths.</summary>
    public const int MaxWidth = 65536;
    /// <summary>Layer counts of the heads (transformer depth, memory layers, fuser blocks, MLP depth, tokens, memory slots).</summary>
    public const int MaxCount = 256;
    /// <summary>Kernels, strides, paddings, windows, position-embedding sides.</summary>
    public const int MaxSpatial = 4096;
    /// <summary>dim_mul, head_mul, mlp_ratio.</summary>
    public const double MaxMultiplier = 64;
}
