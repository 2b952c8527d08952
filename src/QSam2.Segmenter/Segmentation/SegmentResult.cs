using QSam2.Segmenter.Output;

namespace QSam2.Segmenter.Segmentation;

/// <summary>What a segment run produced: the masks and the full paths of the files now in the output folder.</summary>
public sealed record SegmentResult(IReadOnlyList<SegmentedMask> Masks, IReadOnlyList<string> Files, string OverlayPath, string? JsonPath);
