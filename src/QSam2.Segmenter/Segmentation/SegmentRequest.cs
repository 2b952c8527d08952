using QSam2.Segmenter.Output;

namespace QSam2.Segmenter.Segmentation;

/// <summary>The inputs of one <c>sam2seg segment</c> run, as given on the command line.</summary>
public sealed record SegmentRequest
{
    public required string ImagePath { get; init; }
    public required string ModelName { get; init; }
    public IReadOnlyList<string> Boxes { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Points { get; init; } = Array.Empty<string>();
    public string? PromptsPath { get; init; }
    public bool Multimask { get; init; }

    /// <summary>SAM2's <c>max_hole_area</c> in low-res (256×256) mask pixels; 0 disables.</summary>
    public float MaxHoleArea { get; init; }

    /// <summary>SAM2's <c>max_sprinkle_area</c> in low-res mask pixels; 0 disables.</summary>
    public float MaxSprinkleArea { get; init; }
    public OutputFormat Format { get; init; } = OutputFormat.Both;
    public required string OutputDirectory { get; init; }
}
