namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// Multiply-accumulates per part for one image at the expansion's image size (sam2-architecture.md §11
/// counting: every Linear/Conv/ConvTranspose MAC, qkv on padded window tokens, and the attention matmuls;
/// not norms, softmax, activations, pooling, interpolation or PE additions).
/// <see cref="MaskDecoder"/> excludes conv_s0/conv_s1 (<see cref="HighResProjections"/>, run at encode time) and
/// includes the hypernetwork mask product (<see cref="ArchExpansion.MaskProductMacs"/>).
/// The mask decoder figure is for one prompt with <see cref="ExpandedArch.SparsePromptTokens"/> sparse tokens;
/// the memory figures for one memory frame and one object pointer.
/// </summary>
public sealed record MacSummary(
    long Trunk,
    long Neck,
    long HighResProjections,
    long PromptEncoderMaskPath,
    long MaskDecoder,
    long MemoryEncoder,
    long MemoryAttention,
    long TopLevelHeads)
{
    /// <summary>Trunk + neck (<c>image_encoder</c>).</summary>
    public long ImageEncoder => Trunk + Neck;

    /// <summary>Image path: encoder, conv_s0/conv_s1, one point-prompt decode (§11's ≈148 GMAC for Hiera-T).</summary>
    public long ImagePath => Trunk + Neck + HighResProjections + MaskDecoder;
}
