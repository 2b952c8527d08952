namespace QSam2.Runtime.Segmenters.Automatic;

/// <summary>
/// Settings of <see cref="AutomaticMaskGenerator"/>, named and defaulted as SAM2's <c>SAM2AutomaticMaskGenerator</c>
/// (one crop layer, single-point prompts, three candidate masks per point).
/// </summary>
public sealed record AutoMaskOptions
{
    /// <summary>Points sampled along each side of the image: a grid of n×n single-click prompts.</summary>
    public int PointsPerSide { get; init; } = 32;

    /// <summary>Keep a mask only if its predicted IoU is above this.</summary>
    public float PredIouThresh { get; init; } = 0.8f;

    /// <summary>Keep a mask only if its stability score is at least this.</summary>
    public float StabilityScoreThresh { get; init; } = 0.95f;

    /// <summary>The logit offset of the stability score: IoU of the masks thresholded at threshold ± offset.</summary>
    public float StabilityScoreOffset { get; init; } = 1f;

    /// <summary>Box IoU above which the lower-scored of two masks is dropped (non-maximum suppression).</summary>
    public float BoxNmsThresh { get; init; } = 0.7f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (PointsPerSide is < 1 or > 256) throw new ArgumentException($"points per side must be 1..256 (got {PointsPerSide})");
        if (!(PredIouThresh >= 0 && PredIouThresh <= 1)) throw new ArgumentException($"predicted-IoU threshold must be in [0, 1] (got {PredIouThresh})");
        if (!(StabilityScoreThresh >= 0 && StabilityScoreThresh <= 1)) throw new ArgumentException($"stability-score threshold must be in [0, 1] (got {StabilityScoreThresh})");
        if (!(StabilityScoreOffset >= 0) || !float.IsFinite(StabilityScoreOffset)) throw new ArgumentException($"stability-score offset must be finite and >= 0 (got {StabilityScoreOffset})");
        if (!(BoxNmsThresh >= 0 && BoxNmsThresh <= 1)) throw new ArgumentException($"box NMS threshold must be in [0, 1] (got {BoxNmsThresh})");
    }
}
