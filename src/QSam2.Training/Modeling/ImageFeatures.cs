using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Per-image encoder outputs. <paramref name="ImageEmbed"/> = stride-16 neck level + no_mem_embed <c>[B,C,e,e]</c>
/// (the image-predictor embedding); <paramref name="HighRes0"/>/<paramref name="HighRes1"/> = conv_s0/conv_s1 of the
/// stride-4/8 levels. <paramref name="VisionFeatures"/>/<paramref name="VisionPos"/> are the raw stride-16 level and
/// its sine PE (what the video path feeds memory attention/encoder). <paramref name="TrunkStages"/> (NCHW, shallowest
/// first), <paramref name="NeckFeatures"/> and <paramref name="NeckPos"/> (all levels, before the scalp) are kept for
/// inspection and tests.
/// </summary>
public sealed record ImageFeatures(
    Tensor ImageEmbed,
    Tensor HighRes0,
    Tensor HighRes1,
    Tensor VisionFeatures,
    Tensor VisionPos,
    Tensor[] TrunkStages,
    Tensor[] NeckFeatures,
    Tensor[] NeckPos) : IDisposable
{
    public void Dispose()
    {
        // Some entries alias each other (VisionFeatures is a neck level); TorchSharp tolerates a second Dispose.
        foreach (var t in new[] { ImageEmbed, HighRes0, HighRes1, VisionFeatures, VisionPos }.Concat(TrunkStages).Concat(NeckFeatures).Concat(NeckPos))
            t.Dispose();
    }
}
