using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// <c>memory_attention</c>: per layer <c>self_attn</c> (RoPE, on the E×E current-frame tokens), <c>cross_attn_image</c>
/// (keys/values from <paramref name="memoryTokens"/> memory tokens of width kv_in_dim), <c>linear1</c>, <c>linear2</c>,
/// <c>norm1..3</c>; then the final <c>norm</c>.
/// </summary>
internal static class MemoryAttentionExpander
{
    private const string P = "memory_attention";

    public static void Expand(LayerListBuilder b, ArchSpec spec, int embeddingSize, int memoryTokens)
    {
        var ma = spec.MemoryAttention;
        int d = ma.DModel;
        int n = embeddingSize * embeddingSize;
        var cur = new[] { 1, n, d };
        for (int l = 0; l < ma.NumLayers; l++)
        {
            var p = P + ".layers." + l;
            MaskDecoderExpander.Attention(b, p + ".self_attn", n, n, d, d, ma.NumHeads);
            MaskDecoderExpander.Attention(b, p + ".cross_attn_image", n, memoryTokens, d, d, ma.NumHeads, ma.KvInDim);
            b.Linear(p + ".linear1", cur, d, ma.DimFeedforward, LayerActivation.Relu);
            b.Linear(p + ".linear2", new[] { 1, n, ma.DimFeedforward }, ma.DimFeedforward, d);
            b.LayerNorm(p + ".norm1", cur, ma.LayerNormEps);
            b.LayerNorm(p + ".norm2", cur, ma.LayerNormEps);
            b.LayerNorm(p + ".norm3", cur, ma.LayerNormEps);
        }
        b.LayerNorm(P + ".norm", cur, ma.LayerNormEps);
    }
}
