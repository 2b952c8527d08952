namespace QSam2.Gpu.Tests.Segmenters;

/// <summary>sam2_mini at W8A8 per channel (float patch embedding and head outputs), generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w8a8.quant.json")]
internal sealed partial class MiniW8A8Segmenter;

/// <summary>sam2_mini at mixed W4/W8 A8 with per-group (32) Hiera MLPs, generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w4a8.quant.json")]
internal sealed partial class MiniW4A8Segmenter;

/// <summary>sam2_mini in FP32, generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json")]
internal sealed partial class MiniFp32Segmenter;
