namespace QSam2.Segmenter.Models;

// The segmenters the generator compiles into sam2seg, one per shipped recipe of sam2_mini. Each loads only .qsw
// exports of its own structure (arch + per-layer bits); the specs are the project's AdditionalFiles.

/// <summary>sam2_mini in float32.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json")]
internal sealed partial class MiniFp32Segmenter;

/// <summary>sam2_mini with 8-bit weights and activations.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w8a8.quant.json")]
internal sealed partial class MiniW8A8Segmenter;

/// <summary>sam2_mini with 4-bit weights (8-bit two-way transformer) and 8-bit activations.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w4a8.quant.json")]
internal sealed partial class MiniW4A8Segmenter;

#if SAM2SEG_W2A4
/// <summary>sam2_mini with 2-bit weights and 4-bit activations.</summary>
[QSam2.Sam2Segmenter("sam2_mini.arch.json", "sam2_mini.w2a4.quant.json")]
internal sealed partial class MiniW2A4Segmenter;
#endif
