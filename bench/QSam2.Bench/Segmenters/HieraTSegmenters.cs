using QSam2.Runtime.Segmenters;

namespace QSam2.Bench.Segmenters;

// The generated sam2.1_hiera_t segmenters under test (QSam2.Generators runs on this file with the specs listed as
// AdditionalFiles in QSam2.Bench.csproj). Each also gets EncodePreprocessed so the benchmark times the image encoder on
// the same preprocessed [3, S, S] input the TorchSharp baseline gets (SetImage would add the resize and normalisation);
// like SetImage it also prepares the decoder's image side for box and point prompts (≈0.4 of 146 GMAC at hiera_t).

/// <summary>sam2.1_hiera_t in float32.</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json")]
public sealed partial class HieraTFp32Segmenter : IPreprocessedEncoder
{
    public void EncodePreprocessed(ReadOnlySpan<float> input) => PreprocessedInput.Encode(this, Arena, input, _ => EncodeArenaImage());
}

/// <summary>sam2.1_hiera_t W8A8 (specs/quant/sam2.1_hiera_t.w8a8.quant.json).</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json", "sam2.1_hiera_t.w8a8.quant.json")]
public sealed partial class HieraTW8A8Segmenter : IPreprocessedEncoder
{
    public void EncodePreprocessed(ReadOnlySpan<float> input) => PreprocessedInput.Encode(this, Arena, input, _ => EncodeArenaImage());
}

/// <summary>sam2.1_hiera_t W4A8 (specs/quant/sam2.1_hiera_t.w4a8.quant.json).</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json", "sam2.1_hiera_t.w4a8.quant.json")]
public sealed partial class HieraTW4A8Segmenter : IPreprocessedEncoder
{
    public void EncodePreprocessed(ReadOnlySpan<float> input) => PreprocessedInput.Encode(this, Arena, input, _ => EncodeArenaImage());
}

/// <summary>sam2.1_hiera_t W2A8 (specs/quant/sam2.1_hiera_t.w2a8.quant.json).</summary>
[QSam2.Sam2Segmenter("sam2.1_hiera_t.arch.json", "sam2.1_hiera_t.w2a8.quant.json")]
public sealed partial class HieraTW2A8Segmenter : IPreprocessedEncoder
{
    public void EncodePreprocessed(ReadOnlySpan<float> input) => PreprocessedInput.Encode(this, Arena, input, _ => EncodeArenaImage());
}

/// <summary>A segmenter whose image encoder can run on an already preprocessed model input.</summary>
public interface IPreprocessedEncoder
{
    /// <summary>Runs the image encoder on a planar <c>[3, S, S]</c> normalised input (what SetImage computes first).</summary>
    void EncodePreprocessed(ReadOnlySpan<float> input);
}

internal static class PreprocessedInput
{
    public static void Encode(Sam2SegmenterBase segmenter, SegmenterArena arena, ReadOnlySpan<float> input, Action<SegmenterArena> encode)
    {
        int s = segmenter.Info.ImageSize;
        if (input.Length != 3 * s * s) throw new ArgumentException($"preprocessed input has {input.Length} floats, expected 3×{s}×{s}", nameof(input));
        input.CopyTo(arena.F(segmenter.Info.ImageInputOffset, input.Length));
        encode(arena);
    }
}
