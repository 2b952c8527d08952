namespace QSam2.Generators.Parity.Tests;

/// <summary>FP32 segmenter for the project's own sam2_mini architecture (generated at build time).</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json")]
internal sealed partial class MiniSegmenter;

/// <summary>sam2_mini W8A8, compiled from the shipped quant spec (loads models/sam2_mini/sam2_mini.w8a8.qsw).</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w8a8.quant.json")]
internal sealed partial class MiniW8A8Segmenter;

/// <summary>sam2_mini W4A8, compiled from the shipped quant spec (loads models/sam2_mini/sam2_mini.w4a8.qsw).</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w4a8.quant.json")]
internal sealed partial class MiniW4A8Segmenter;
