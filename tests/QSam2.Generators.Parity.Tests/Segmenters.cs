namespace QSam2.Generators.Parity.Tests;

/// <summary>FP32 segmenter for the project's own sam2_mini architecture (generated at build time).</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json")]
internal sealed partial class MiniSegmenter;
