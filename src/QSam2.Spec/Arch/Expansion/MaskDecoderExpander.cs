using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// <c>sam_mask_decoder</c> in <c>MaskDecoder.__init__</c> order: two-way transformer, token tables, output
/// upscaling, conv_s0/conv_s1 (run at encode time on FPN levels 0/1), hypernetwork MLPs, IoU head,
/// object-score head. Token-side layers see <c>T = 1 (iou) + mask tokens + obj-score token + sparse prompts</c>
/// tokens; image-side ones the E×E embedding.
/// </summary>
internal static class MaskDecoderExpander
{
    private const string P = "sam_mask_decoder";

    public static void Expand(LayerListBuilder b, ArchSpec spec, int embeddingSize, int sparseTokens, EquatableArray<TrunkStage> stages)
    {
        var md = spec.MaskDecoder;
        int d = spec.HiddenDim;
        int maskTokens = md.NumMultimaskOutputs + 1;
        int tokens = 1 + maskTokens + (md.PredObjScores ? 1 : 0) + sparseTokens;
        int image = embeddingSize * embeddingSize;
        int heads = md.TransformerNumHeads;
        int cross = d / md.AttentionDownsampleRate;
        double eps = md.TransformerLayerNormEps;
        var tok = new[] { 1, tokens, d };
        var img = new[] { 1, image, d };

        for (int l = 0; l < md.TransformerDepth; l++)
        {
            var n = P + ".transformer.layers." + l;
            Attention(b, n + ".self_attn", tokens, tokens, d, d, heads);
            b.LayerNorm(n + ".norm1", tok, eps);
            Attention(b, n + ".cross_attn_token_to_image", tokens, image, d, cross, heads);
            b.LayerNorm(n + ".norm2", tok, eps);
            b.Mlp(n + ".mlp", tok, d, md.TransformerMlpDim, d, 2, LayerActivation.Relu);
            b.LayerNorm(n + ".norm3", tok, eps);
            b.LayerNorm(n + ".norm4", img, eps);
            Attention(b, n + ".cross_attn_image_to_token", image, tokens, d, cross, heads);
        }
        Attention(b, P + ".transformer.final_attn_token_to_image", tokens, image, d, cross, heads);
        b.LayerNorm(P + ".transformer.norm_final_attn", tok, eps);

        b.Embedding(P + ".iou_token", 1, d);
        b.Embedding(P + ".mask_tokens", maskTokens, d);
        if (md.PredObjScores) b.Embedding(P + ".obj_score_token", 1, d);

        var up0 = b.ConvTranspose2d(P + ".output_upscaling.0", d, d / 4, 2, 2, embeddingSize, embeddingSize);
        b.LayerNorm2d(P + ".output_upscaling.1", d / 4, up0.OutputShape[2], up0.OutputShape[3], md.LayerNormEps, LayerActivation.Gelu);
        b.ConvTranspose2d(P + ".output_upscaling.3", d / 4, d / 8, 2, 2, up0.OutputShape[2], up0.OutputShape[3], LayerActivation.Gelu);
        if (md.UseHighResFeatures)
        {
            b.Conv2d(P + ".conv_s0", d, d / 8, 1, 1, 0, stages[0].Height, stages[0].Width);
            b.Conv2d(P + ".conv_s1", d, d / 4, 1, 1, 0, stages[1].Height, stages[1].Width);
        }

        var one = new[] { 1, 1, d };
        for (int m = 0; m < maskTokens; m++)
        {
            b.Mlp(P + ".output_hypernetworks_mlps." + m, one, d, d, d / 8, 3, LayerActivation.Relu);
        }
        b.Mlp(P + ".iou_prediction_head", one, d, md.IouHeadHiddenDim, maskTokens, md.IouHeadDepth, LayerActivation.Relu,
            md.IouPredictionUseSigmoid ? LayerActivation.Sigmoid : LayerActivation.None);
        if (md.PredObjScores)
        {
            if (md.PredObjScoresMlp) b.Mlp(P + ".pred_obj_score_head", one, d, d, 1, 3, LayerActivation.Relu);
            else b.Linear(P + ".pred_obj_score_head", one, d, 1);
        }
    }

    /// <summary>SAM <c>Attention(d, heads, downsample)</c>: q from <paramref name="queries"/> tokens, k/v from <paramref name="keys"/> tokens.</summary>
    internal static void Attention(LayerListBuilder b, string n, int queries, int keys, int d, int internalDim, int heads, int kvIn = -1)
    {
        if (kvIn < 0) kvIn = d;
        b.Linear(n + ".q_proj", new[] { 1, queries, d }, d, internalDim);
        b.Linear(n + ".k_proj", new[] { 1, keys, kvIn }, kvIn, internalDim);
        b.Linear(n + ".v_proj", new[] { 1, keys, kvIn }, kvIn, internalDim);
        b.Attention(n, 1, heads, queries, keys, internalDim / heads);
        b.Linear(n + ".out_proj", new[] { 1, queries, internalDim }, internalDim, d);
    }
}
