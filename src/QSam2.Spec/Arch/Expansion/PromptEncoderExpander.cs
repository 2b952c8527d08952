using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// <c>sam_prompt_encoder</c>: random-Fourier buffer <c>pe_layer.positional_encoding_gaussian_matrix [2, d/2]</c>,
/// 4 point embeddings, <c>not_a_point_embed</c>, the mask downscaler (Sequential indices 0,1,3,4,6; GELUs at 2,5)
/// on the 4×-embedding-size mask prompt, and <c>no_mask_embed</c>.
/// </summary>
internal static class PromptEncoderExpander
{
    private const string P = "sam_prompt_encoder";

    public static void Expand(LayerListBuilder b, ArchSpec spec, int embeddingSize)
    {
        int d = spec.HiddenDim;
        int m = spec.PromptEncoder.MaskInChans;
        double eps = spec.PromptEncoder.LayerNormEps;
        b.Tensor(P + ".pe_layer.positional_encoding_gaussian_matrix", new[] { 2, d / 2 }, buffer: true);
        for (int i = 0; i < 4; i++) b.Embedding(P + ".point_embeddings." + i, 1, d);
        b.Embedding(P + ".not_a_point_embed", 1, d);
        int s = 4 * embeddingSize;
        var c0 = b.Conv2d(P + ".mask_downscaling.0", 1, m / 4, 2, 2, 0, s, s);
        b.LayerNorm2d(P + ".mask_downscaling.1", m / 4, c0.OutputShape[2], c0.OutputShape[3], eps, LayerActivation.Gelu);
        var c3 = b.Conv2d(P + ".mask_downscaling.3", m / 4, m, 2, 2, 0, c0.OutputShape[2], c0.OutputShape[3]);
        b.LayerNorm2d(P + ".mask_downscaling.4", m, c3.OutputShape[2], c3.OutputShape[3], eps, LayerActivation.Gelu);
        b.Conv2d(P + ".mask_downscaling.6", m, d, 1, 1, 0, c3.OutputShape[2], c3.OutputShape[3]);
        b.Embedding(P + ".no_mask_embed", 1, d);
    }
}
