using QSam2.Generators.Model;

namespace QSam2.Generators.Lowering;

/// <summary>
/// Lowers the prompt path (SAM2ImagePredictor._predict after the sparse embedding, which the runtime base computes):
/// the dense prompt (mask_downscaling, or <c>no_mask_embed</c> broadcast), the two-way transformer, the upscaling with
/// the cached high-res skips, hypernetworks, mask product, IoU and object-score heads. Token-side sizes use the
/// runtime token count <c>tokens</c>; buffers are planned for the largest prompt.
/// </summary>
internal static class PromptPathLowering
{
    /// <summary>Interface buffers the base class reads and writes.</summary>
    internal sealed record Outputs(Buffer Tokens, Buffer MaskInput, Buffer Masks, Buffer Iou, Buffer ObjectScore);

    public static Outputs Build(LoweringContext ctx, ImagePathLowering.Outputs image)
    {
        var p = ctx.Program;
        var arch = ctx.Arch;
        var spec = arch.Spec;
        var md = spec.MaskDecoder;
        int d = spec.HiddenDim;
        int e = arch.EmbeddingSize;
        int pixels = e * e;
        int tmax = ctx.MaxTokens;
        const string D = "sam_mask_decoder";
        var a = ("a", (object)Literal.Raw("a"));

        // Interface: the base writes the sparse prompt embeddings into tokens[OutputTokens..] and the mask input,
        // then runs one of the dense paths and the decoder.
        var tokens = p.Alloc("decoder.tokens", 4L * tmax * d);
        var maskIn = p.Alloc("prompt.mask_input", 4L * 16 * pixels);
        p.Touch(tokens);
        p.Touch(maskIn);

        // Dense prompt from a mask: conv k2s2 → LN2d → GELU → conv k2s2 → LN2d → GELU → conv 1×1 (channels-last).
        var dense = p.Alloc("prompt.dense", 4L * pixels * d);
        {
            const Section M = Section.MaskPrompt;
            var c0 = ctx.Layer("sam_prompt_encoder.mask_downscaling.0");
            var c3 = ctx.Layer("sam_prompt_encoder.mask_downscaling.3");
            int full = 4 * e, half = 2 * e;
            float eps = (float)spec.PromptEncoder.LayerNormEps;
            var d0 = p.Alloc("prompt.mask.d0", 4L * half * half * c0.OutFeatures);
            ctx.Run(M, ctx.Unit(c0.Name, KernelOp.Im2ColGemm, half * half, inHeight: full, inWidth: full), maskIn, d0);
            Norm2dGelu(ctx, M, "sam_prompt_encoder.mask_downscaling.1", d0, half * half, c0.OutFeatures, eps);
            var d1 = p.Alloc("prompt.mask.d1", 4L * pixels * c3.OutFeatures);
            ctx.Run(M, ctx.Unit(c3.Name, KernelOp.Im2ColGemm, pixels, inHeight: half, inWidth: half), d0, d1);
            Norm2dGelu(ctx, M, "sam_prompt_encoder.mask_downscaling.4", d1, pixels, c3.OutFeatures, eps);
            ctx.Run(M, ctx.Unit("sam_prompt_encoder.mask_downscaling.6", KernelOp.Gemm, pixels), d1, dense);
        }
        p.Add(Section.NoMaskPrompt, "Sam2Ops.BroadcastRow", $"dense prompt = no_mask_embed at every one of {pixels} positions",
            a, ("output", dense), ("vector", Literal.Raw(ctx.Parameter("sam_prompt_encoder.no_mask_embed.weight"))), ("rows", pixels), ("channels", d));

        const Section X = Section.Decoder;
        // Output tokens [obj_score?, iou, mask × n] in front of the sparse tokens.
        int row = 0;
        if (md.PredObjScores) WriteToken(ctx, tokens, ref row, D + ".obj_score_token.weight", d);
        int iouRow = row;
        WriteToken(ctx, tokens, ref row, D + ".iou_token.weight", d);
        int maskRow = row;
        WriteToken(ctx, tokens, ref row, D + ".mask_tokens.weight", d);

        // The image side of the first two-way layer depends only on the image and the dense prompt: keys0 = image_embed
        // + dense and its three projections over all image tokens. It runs when either changes (SetImage, a mask
        // prompt) and every box/point prompt reuses it, as SetImage reuses the image embedding; those buffers persist.
        const Section I = Section.DecoderImageSide;
        string layer0 = D + ".transformer.layers.0";
        var keys0 = p.Alloc("decoder.keys0", 4L * pixels * d, persistent: true);
        p.Add(I, "Sam2Ops.Add", "keys0 = image_embed + dense prompt", a, ("x", image.Embed), ("y", dense), ("output", keys0), ("count", pixels * d));
        var kpe0 = p.Alloc("decoder.keys0_plus_pe", 4L * pixels * d);
        p.Add(I, "Sam2Ops.AddParameterTo", $"{layer0}: k = keys0 + image PE", a, ("x", keys0), ("values", Literal.Raw("_densePe")), ("output", kpe0), ("count", pixels * d));
        var t2iK0 = Projection(ctx, I, layer0 + ".cross_attn_token_to_image.k_proj", kpe0, pixels, tokenRows: false, persistent: true);
        var t2iV0 = Projection(ctx, I, layer0 + ".cross_attn_token_to_image.v_proj", keys0, pixels, tokenRows: false, persistent: true);
        var i2tQ0 = Projection(ctx, I, layer0 + ".cross_attn_image_to_token.q_proj", kpe0, pixels, tokenRows: false, persistent: true);

        // Queries start as the tokens (which also serve as the query PE); the keys start as keys0.
        var keys = p.Alloc("decoder.keys", 4L * pixels * d);
        var queries = p.Alloc("decoder.queries", 4L * tmax * d);
        p.Add(X, "Sam2Ops.Copy", "queries = tokens", a, ("source", tokens), ("destination", queries), ("count", Literal.Raw("tokens * " + Literal.Int(d))));
        var qpe = p.Alloc("decoder.q_plus_pe", 4L * tmax * d);
        var kpe = p.Alloc("decoder.k_plus_pe", 4L * pixels * d);
        float teps = (float)md.TransformerLayerNormEps;
        int heads = md.TransformerNumHeads;

        for (int l = 0; l < md.TransformerDepth; l++)
        {
            var n = D + ".transformer.layers." + l;
            bool first = l == 0;
            // Self-attention: layer 0 replaces the queries (no PE, no residual); later layers add both.
            if (first)
            {
                Attention(ctx, n + ".self_attn", queries, true, queries, true, queries, true, queries, null, d, heads);
            }
            else
            {
                p.Add(X, "Sam2Ops.Add", $"{n}: q = queries + query PE", a, ("x", queries), ("y", tokens), ("output", qpe), ("count", Literal.Raw("tokens * " + Literal.Int(d))));
                Attention(ctx, n + ".self_attn", qpe, true, qpe, true, queries, true, queries, queries, d, heads);
            }
            Norm(ctx, X, n + ".norm1", queries, true, d, teps);

            // Token → image cross-attention (layer 0: keys and values from the image-side cache).
            p.Add(X, "Sam2Ops.Add", $"{n}: q = queries + query PE", a, ("x", queries), ("y", tokens), ("output", qpe), ("count", Literal.Raw("tokens * " + Literal.Int(d))));
            if (!first)
                p.Add(X, "Sam2Ops.AddParameterTo", $"{n}: k = keys + image PE", a, ("x", keys), ("values", Literal.Raw("_densePe")), ("output", kpe), ("count", pixels * d));
            Attention(ctx, n + ".cross_attn_token_to_image", qpe, true, kpe, false, keys, false, queries, queries, d, heads,
                kDone: first ? t2iK0 : null, vDone: first ? t2iV0 : null);
            Norm(ctx, X, n + ".norm2", queries, true, d, teps);

            // MLP with ReLU, residual fused into the second GEMM.
            var mlp0 = ctx.Unit(n + ".mlp.layers.0", KernelOp.Gemm, tmax, "tokens");
            var hidden = p.Alloc(n + ".mlp.hidden", 4L * tmax * md.TransformerMlpDim);
            ctx.Run(X, mlp0, queries, hidden);
            p.Add(X, "Sam2Ops.Relu", $"{n}.mlp ReLU", a, ("x", hidden), ("count", Literal.Raw("tokens * " + Literal.Int(md.TransformerMlpDim))));
            ctx.Run(X, ctx.Unit(n + ".mlp.layers.1", KernelOp.Gemm, tmax, "tokens", residual: true), hidden, queries, queries);
            Norm(ctx, X, n + ".norm3", queries, true, d, teps);

            // Image → token cross-attention (updates the keys; layer 0: queries from the cache, residual keys0).
            p.Add(X, "Sam2Ops.Add", $"{n}: k = queries + query PE", a, ("x", queries), ("y", tokens), ("output", qpe), ("count", Literal.Raw("tokens * " + Literal.Int(d))));
            Attention(ctx, n + ".cross_attn_image_to_token", kpe, false, qpe, true, queries, true, keys, first ? keys0 : keys, d, heads,
                qDone: first ? i2tQ0 : null);
            Norm(ctx, X, n + ".norm4", keys, false, d, teps);
        }

        var fin = D + ".transformer.final_attn_token_to_image";
        p.Add(X, "Sam2Ops.Add", "final: q = queries + query PE", a, ("x", queries), ("y", tokens), ("output", qpe), ("count", Literal.Raw("tokens * " + Literal.Int(d))));
        p.Add(X, "Sam2Ops.AddParameterTo", "final: k = keys + image PE", a, ("x", keys), ("values", Literal.Raw("_densePe")), ("output", kpe), ("count", pixels * d));
        Attention(ctx, fin, qpe, true, kpe, false, keys, false, queries, queries, d, heads);
        Norm(ctx, X, D + ".transformer.norm_final_attn", queries, true, d, teps);

        // Upscaling: ConvT → (+ high-res 1) → LN2d → GELU → ConvT → (+ high-res 0) → GELU.
        var up0 = ctx.Layer(D + ".output_upscaling.0");
        var up3 = ctx.Layer(D + ".output_upscaling.3");
        int s1 = 2 * e, s0 = 4 * e;
        var u1 = p.Alloc("decoder.upscaled1", 4L * s1 * s1 * up0.OutFeatures);
        ctx.Run(X, ctx.Unit(up0.Name, KernelOp.ConvTranspose2x2, pixels, inHeight: e, inWidth: e), keys, u1, image.HighRes1);
        Norm2dGelu(ctx, X, D + ".output_upscaling.1", u1, s1 * s1, up0.OutFeatures, (float)md.LayerNormEps);
        var u2 = p.Alloc("decoder.upscaled0", 4L * s0 * s0 * up3.OutFeatures);
        ctx.Run(X, ctx.Unit(up3.Name, KernelOp.ConvTranspose2x2, s1 * s1, inHeight: s1, inWidth: s1), u1, u2, image.HighRes0);
        p.Add(X, "Sam2Ops.Gelu", "upscaling GELU", a, ("x", u2), ("count", s0 * s0 * up3.OutFeatures));

        // Hypernetwork MLPs: one per mask token, 3 layers with ReLU, rows of H.
        int maskTokens = md.NumMultimaskOutputs + 1;
        int c8 = up3.OutFeatures;
        var hyper = p.Alloc("decoder.hyper_in", 4L * maskTokens * c8);
        for (int m = 0; m < maskTokens; m++)
        {
            var src = new BufferAt(queries, 4L * (maskRow + m) * d);
            Mlp(ctx, D + ".output_hypernetworks_mlps." + m, src, new BufferAt(hyper, 4L * m * c8), 3, false);
        }
        var masks = p.Alloc("decoder.masks", 4L * maskTokens * s0 * s0);
        p.Add(X, "Sam2Ops.MaskProduct", $"low-res mask logits [{maskTokens}, {s0}×{s0}] = hyper_in · upscaled", a,
            ("hyper", hyper), ("upscaled", u2), ("pixels", s0 * s0), ("channels", c8), ("masks", masks), ("count", maskTokens));

        var iou = p.Alloc("decoder.iou", 4L * maskTokens);
        Mlp(ctx, D + ".iou_prediction_head", new BufferAt(queries, 4L * iouRow * d), new BufferAt(iou, 0), md.IouHeadDepth, md.IouPredictionUseSigmoid);
        var obj = p.Alloc("decoder.object_score", 64);
        if (md.PredObjScores)
        {
            var objSrc = new BufferAt(queries, 0);
            if (md.PredObjScoresMlp) Mlp(ctx, D + ".pred_obj_score_head", objSrc, new BufferAt(obj, 0), 3, false);
            else MlpLayer(ctx, D + ".pred_obj_score_head", objSrc, new BufferAt(obj, 0));
        }
        p.Touch(masks);
        p.Touch(iou);
        p.Touch(obj);
        return new Outputs(tokens, maskIn, masks, iou, obj);
    }

    private static void WriteToken(LoweringContext ctx, Buffer tokens, ref int row, string key, int d)
    {
        var field = ctx.Parameter(key);
        int count = ctx.Parameters.First(f => f.Key == key).Shape[0];
        ctx.Program.Add(Section.Decoder, "Sam2Ops.WriteRows", $"tokens[{row}..{row + count}) = {key}",
            ("a", Literal.Raw("a")), ("output", new BufferAt(tokens, 4L * row * d)), ("values", Literal.Raw(field)), ("count", count * d));
        row += count;
    }

    private static void Norm(LoweringContext ctx, Section section, string name, Buffer x, bool tokenSide, int channels, float eps)
    {
        int pixels = ctx.Arch.EmbeddingSize * ctx.Arch.EmbeddingSize;
        ctx.Program.Add(section, "Sam2Ops.LayerNorm", $"{name} — LayerNorm {channels}",
            ("a", Literal.Raw("a")), ("input", x), ("output", x), ("rows", tokenSide ? (object)Literal.Raw("tokens") : pixels), ("channels", channels),
            ("weight", Literal.Raw(ctx.Parameter(name + ".weight"))), ("bias", Literal.Raw(ctx.Parameter(name + ".bias"))), ("eps", eps));
    }

    private static void Norm2dGelu(LoweringContext ctx, Section section, string name, Buffer x, int rows, int channels, float eps)
    {
        ctx.Program.Add(section, "Sam2Ops.LayerNorm", $"{name} — LayerNorm2d {channels} (channels-last), {rows} pixels",
            ("a", Literal.Raw("a")), ("input", x), ("output", x), ("rows", rows), ("channels", channels),
            ("weight", Literal.Raw(ctx.Parameter(name + ".weight"))), ("bias", Literal.Raw(ctx.Parameter(name + ".bias"))), ("eps", eps));
        ctx.Program.Add(section, "Sam2Ops.Gelu", $"GELU after {name}", ("a", Literal.Raw("a")), ("x", x), ("count", rows * channels));
    }

    /// <summary>
    /// SAM <c>Attention</c>: q/k/v projections (token-side rows use <c>tokens</c>), scaled-dot-product attention, output
    /// projection into <paramref name="output"/> with <paramref name="residual"/> fused (null: replace). A projection
    /// given as <paramref name="qDone"/>/<paramref name="kDone"/>/<paramref name="vDone"/> was computed by the image-side
    /// section and is used as is.
    /// </summary>
    private static void Attention(LoweringContext ctx, string name, Buffer qIn, bool qTokens, Buffer kIn, bool kTokens, Buffer vIn, bool vTokens,
        Buffer output, Buffer? residual, int d, int heads, Buffer? qDone = null, Buffer? kDone = null, Buffer? vDone = null)
    {
        var p = ctx.Program;
        int pixels = ctx.Arch.EmbeddingSize * ctx.Arch.EmbeddingSize;
        int tmax = ctx.MaxTokens;
        var qProj = ctx.Layer(name + ".q_proj");
        int inner = qProj.OutFeatures;
        int lq = qTokens ? tmax : pixels, lk = kTokens ? tmax : pixels;
        var q = qDone ?? Projection(ctx, Section.Decoder, name + ".q_proj", qIn, lq, qTokens, persistent: false);
        var k = kDone ?? Projection(ctx, Section.Decoder, name + ".k_proj", kIn, lk, kTokens, persistent: false);
        var v = vDone ?? Projection(ctx, Section.Decoder, name + ".v_proj", vIn, lk, vTokens, persistent: false);
        var att = p.Alloc(name + ".out", 4L * lq * inner);
        if (!qTokens && kTokens && tmax <= LoweringContext.FewKeysAttentionMaxKeys)
        {
            // Image tokens attending to the prompt tokens: 8 queries per vector beats GEMM tiles of a few keys.
            p.Add(Section.Decoder, "Sam2Ops.AttentionFewKeys", $"{name} — {heads} heads × {inner / heads}, {pixels.ToString(System.Globalization.CultureInfo.InvariantCulture)} queries, tokens keys (8 queries per vector)",
                ("a", Literal.Raw("a")), ("q", q), ("queries", pixels), ("k", k), ("v", v), ("keys", Literal.Raw("tokens")),
                ("heads", heads), ("headDim", inner / heads), ("output", att));
        }
        else
        {
            AttentionCoreStep(ctx, name, q, qTokens, k, v, kTokens, att, lq, lk, inner, heads);
        }
        ctx.Run(Section.Decoder, ctx.Unit(name + ".out_proj", KernelOp.Gemm, lq, qTokens ? "tokens" : null, residual: residual != null), att, output, residual);
    }

    /// <summary>The blocked attention (<c>AttentionCore</c>) between the projections, with its scratch.</summary>
    private static void AttentionCoreStep(LoweringContext ctx, string name, Buffer q, bool qTokens, Buffer k, Buffer v, bool kTokens, Buffer att,
        int lq, int lk, int inner, int heads)
    {
        var p = ctx.Program;
        int pixels = ctx.Arch.EmbeddingSize * ctx.Arch.EmbeddingSize;
        var scratch = p.Alloc(name + ".scratch", 4L * LoweringContext.AttentionScratchFloats(lq, lk, inner / heads));
        p.Add(Section.Decoder, "Sam2Ops.Attention", $"{name} — {heads} heads × {inner / heads}, {(qTokens ? "tokens" : pixels.ToString(System.Globalization.CultureInfo.InvariantCulture))} queries, {(kTokens ? "tokens" : pixels.ToString(System.Globalization.CultureInfo.InvariantCulture))} keys",
            ("a", Literal.Raw("a")), ("q", q), ("queries", qTokens ? (object)Literal.Raw("tokens") : pixels), ("k", k), ("v", v), ("keys", kTokens ? (object)Literal.Raw("tokens") : pixels),
            ("heads", heads), ("headDim", inner / heads), ("output", att), ("scratch", scratch));
    }

    /// <summary>
    /// One q/k/v projection into a new buffer: <paramref name="rows"/> rows, the runtime token count when
    /// <paramref name="tokenRows"/>; a persistent buffer outlives the prompt (the image-side cache).
    /// </summary>
    private static Buffer Projection(LoweringContext ctx, Section section, string layer, Buffer input, int rows, bool tokenRows, bool persistent)
    {
        var output = ctx.Program.Alloc(layer + ".out", 4L * rows * ctx.Layer(layer).OutFeatures, persistent);
        ctx.Run(section, ctx.Unit(layer, KernelOp.Gemm, rows, tokenRows ? "tokens" : null), input, output);
        return output;
    }

    /// <summary>SAM2's <c>MLP</c> on one row: ReLU between layers, optional sigmoid on the output.</summary>
    private static void Mlp(LoweringContext ctx, string prefix, BufferAt input, BufferAt output, int layers, bool sigmoid)
    {
        var p = ctx.Program;
        var current = input;
        for (int i = 0; i < layers; i++)
        {
            var name = prefix + ".layers." + i;
            var layer = ctx.Layer(name);
            bool last = i == layers - 1;
            var dst = last ? output : new BufferAt(p.Alloc(name + ".out", 4L * layer.OutFeatures), 0);
            MlpLayer(ctx, name, current, dst);
            if (!last) p.Add(Section.Decoder, "Sam2Ops.Relu", $"{name} ReLU", ("a", Literal.Raw("a")), ("x", dst), ("count", layer.OutFeatures));
            current = dst;
        }
        if (sigmoid) p.Add(Section.Decoder, "Sam2Ops.Sigmoid", $"{prefix} sigmoid", ("a", Literal.Raw("a")), ("x", output), ("count", ctx.Layer(prefix + ".layers." + (layers - 1)).OutFeatures));
    }

    private static void MlpLayer(LoweringContext ctx, string name, BufferAt input, BufferAt output)
    {
        var unit = ctx.Unit(name, KernelOp.Gemm, 1);
        ctx.RunAt(Section.Decoder, unit, input, output);
    }
}
