namespace QSam2.GpuBench;

/// <summary>sam2.1_hiera_t at 1024² in FP32, generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json")]
internal sealed partial class HieraTFp32;

/// <summary>sam2.1_hiera_t W8A8 per channel, generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json", "sam2.1_hiera_t.w8a8.quant.json")]
internal sealed partial class HieraTW8A8;

/// <summary>sam2.1_hiera_t mixed W4/W8 A8 (groups of 32 in the Hiera MLPs), generated with its GPU backend.</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json", "sam2.1_hiera_t.w4a8.quant.json")]
internal sealed partial class HieraTW4A8;
