using QSam2.Generators.Model;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Generators.Lowering;

/// <summary>
/// Lowers the image path (SAM2ImagePredictor.set_image): patch embedding, positional embedding, every Hiera block
/// (norm, shortcut projection and pooling, windowing, qkv, attention with q-pooling, projection, un-windowing with the
/// residual, MLP with fused GELU / requantization / residual), the FPN neck with its top-down path, the high-res
/// projections and <c>no_mem_embed</c>. Everything stays channels-last ([tokens, channels]); sizes are constants.
/// </summary>
internal static class ImagePathLowering
{
    /// <summary>The buffers the image path leaves for the prompt path.</summary>
    internal sealed record Outputs(Buffer Image, Buffer Embed, Buffer? HighRes0, Buffer? HighRes1, int HighRes0Side, int HighRes1Side, string PosEmbedExpression);

    public static Outputs Build(LoweringContext ctx)
    {
        var p = ctx.Program;
        var arch = ctx.Arch;
        var spec = arch.Spec;
        int s = arch.ImageSize;
        const Section I = Section.Image;

        // Preprocessed image [3, S, S] (NCHW), written by the base class before EncodeImage.
        var image = p.Alloc("image", 4L * 3 * s * s);
        p.Touch(image);

        // Patch embedding: k×k/stride conv as im2col + GEMM straight into channels-last tokens.
        var patch = ctx.Layer("image_encoder.trunk.patch_embed.proj");
        int h = patch.OutputShape[2], w = patch.OutputShape[3], c = patch.OutFeatures;
        var x = p.Alloc("trunk.x.patch", 4L * h * w * c);
        var patchUnit = ctx.Unit(patch.Name, KernelOp.Im2ColGemm, h * w, inputNchw: true, inHeight: s, inWidth: s);
        ctx.Run(I, patchUnit, image, x);
        var t = spec.Trunk;
        string PosEmbedExpression = $"Sam2Ops.HieraPositionalEmbedding({ctx.Parameter("image_encoder.trunk.pos_embed")}, {c}, {t.WindowPosEmbedBkgSpatialSize[0]}, {t.WindowPosEmbedBkgSpatialSize[1]}, "
            + $"{ctx.Parameter("image_encoder.trunk.pos_embed_window")}, {t.WindowSpec[0]}, {h}, {w})";
        p.Add(I, "Sam2Ops.AddParameter", $"trunk pos_embed (bicubic background + tiled window embedding, precomputed at load), {h}×{w}×{c}",
            ("a", Literal.Raw("a")), ("x", x), ("values", Literal.Raw("_posEmbed")), ("count", h * w * c));

        var stageOutputs = new Dictionary<int, (Buffer Buffer, int H, int W, int C)>();
        foreach (var blk in arch.Blocks)
        {
            x = Block(ctx, blk, x);
            if (blk.IsStageEnd) stageOutputs[blk.Stage - 1] = (x, blk.OutHeight, blk.OutWidth, blk.DimOut);
        }
        // Stage outputs are read by the neck below; touching them there keeps them alive until then.

        // FPN neck: convs.{j} maps trunk level n-1-j; top-down from coarse to fine (FpnNeck.forward).
        var neck = spec.Neck;
        int levels = neck.BackboneChannelList.Count;
        var features = new (Buffer Buffer, int H, int W)[levels];
        Buffer? prev = null;
        int prevH = 0, prevW = 0;
        int d = spec.HiddenDim;
        for (int i = levels - 1; i >= 0; i--)
        {
            var (so, sh, sw, sc) = stageOutputs[i];
            var lat = p.Alloc("neck.level" + i, 4L * sh * sw * d);
            var unit = ctx.Unit("image_encoder.neck.convs." + (levels - 1 - i) + ".conv", KernelOp.Gemm, sh * sw);
            ctx.Run(I, unit, so, lat);
            if (neck.FpnTopDownLevels.Contains(i) && prev != null)
            {
                p.Add(I, "Sam2Ops.NearestUp2Add", $"neck level {i} += nearest ×2 of level {i + 1} ({prevH}×{prevW} → {sh}×{sw})",
                    ("a", Literal.Raw("a")), ("coarse", prev), ("height", prevH), ("width", prevW), ("channels", d), ("fine", lat));
                if (neck.FuseType == "avg")
                {
                    p.Add(I, "Sam2Ops.Scale", $"neck level {i}: fuse_type avg", ("a", Literal.Raw("a")), ("x", lat), ("count", sh * sw * d), ("factor", 0.5f));
                }
            }
            features[i] = (lat, sh, sw);
            prev = lat;
            prevH = sh;
            prevW = sw;
        }

        // Scalp drops the coarsest levels; the last kept level is the image embedding, the first two feed the high-res skips.
        int kept = levels - neck.Scalp;
        var top = features[kept - 1];
        int e = arch.EmbeddingSize;
        var embed = p.Alloc("image_embed", 4L * e * e * d, persistent: true);
        p.Add(I, "Sam2Ops.AddRowVector", $"image_embed = level {kept - 1} + no_mem_embed, {top.H}×{top.W}×{d}",
            ("a", Literal.Raw("a")), ("input", top.Buffer), ("vector", Literal.Raw(ctx.Parameter("no_mem_embed"))), ("rows", top.H * top.W), ("channels", d), ("output", embed));

        Buffer? hs0 = null, hs1 = null;
        int hs0Side = 0, hs1Side = 0;
        if (spec.MaskDecoder.UseHighResFeatures)
        {
            var f0 = features[0];
            var f1 = features[1];
            var conv0 = ctx.Layer("sam_mask_decoder.conv_s0");
            var conv1 = ctx.Layer("sam_mask_decoder.conv_s1");
            hs0 = p.Alloc("high_res_feats.0", 4L * f0.H * f0.W * conv0.OutFeatures, persistent: true);
            ctx.Run(I, ctx.Unit(conv0.Name, KernelOp.Gemm, f0.H * f0.W), f0.Buffer, hs0);
            hs1 = p.Alloc("high_res_feats.1", 4L * f1.H * f1.W * conv1.OutFeatures, persistent: true);
            ctx.Run(I, ctx.Unit(conv1.Name, KernelOp.Gemm, f1.H * f1.W), f1.Buffer, hs1);
            hs0Side = f0.H;
            hs1Side = f1.H;
        }
        return new Outputs(image, embed, hs0, hs1, hs0Side, hs1Side, PosEmbedExpression);
    }

    /// <summary>One MultiScaleBlock (sam2-architecture.md §4.3).</summary>
    private static Buffer Block(LoweringContext ctx, HieraBlock blk, Buffer x)
    {
        var p = ctx.Program;
        const Section I = Section.Image;
        var n = "image_encoder.trunk.blocks." + blk.Index;
        int h = blk.InHeight, w = blk.InWidth, dim = blk.Dim, dimOut = blk.DimOut;
        int oh = blk.OutHeight, ow = blk.OutWidth;
        float eps = (float)ctx.Arch.Spec.Trunk.LayerNormEps;
        var norm1 = ctx.Layer(n + ".norm1");

        var xn = p.Alloc(n + ".xn", 4L * h * w * dim);
        p.Add(I, "Sam2Ops.LayerNorm", $"{n}.norm1 — LayerNorm {dim}, {h * w} tokens",
            ("a", Literal.Raw("a")), ("input", x), ("output", xn), ("rows", h * w), ("channels", dim),
            ("weight", Literal.Raw(ctx.Parameter(norm1.Name + ".weight"))), ("bias", Literal.Raw(ctx.Parameter(norm1.Name + ".bias"))), ("eps", eps));

        // Shortcut: the un-normalized input, or for a stage transition max_pool(proj(norm1(x))).
        Buffer shortcut = x;
        if (blk.HasProjection)
        {
            var full = p.Alloc(n + ".proj.out", 4L * h * w * dimOut);
            ctx.Run(I, ctx.Unit(n + ".proj", KernelOp.Gemm, h * w), xn, full);
            shortcut = full;
            if (blk.IsQPool)
            {
                var pooled = p.Alloc(n + ".shortcut", 4L * oh * ow * dimOut);
                p.Add(I, "Sam2Ops.MaxPool2x2", $"{n} shortcut max-pool 2×2: {h}×{w} → {oh}×{ow}",
                    ("a", Literal.Raw("a")), ("input", full), ("height", h), ("width", w), ("channels", dimOut), ("output", pooled));
                shortcut = pooled;
            }
        }

        // Windowing (zero padding after the norm; padded tokens take part in attention, as in the reference).
        Buffer attnIn = xn;
        int rows = h * w;
        int side = h, sideW = w;
        if (blk.WindowSize > 0)
        {
            rows = blk.Windows * blk.WindowSize * blk.WindowSize;
            side = sideW = blk.WindowSize;
            attnIn = p.Alloc(n + ".windows", 4L * rows * dim);
            p.Add(I, "Sam2Ops.WindowPartition", $"{n} window partition: {h}×{w} padded to {blk.PaddedHeight}×{blk.PaddedWidth}, {blk.Windows} windows of {blk.WindowSize}×{blk.WindowSize}",
                ("a", Literal.Raw("a")), ("input", xn), ("height", h), ("width", w), ("channels", dim), ("window", blk.WindowSize), ("output", attnIn));
        }

        var qkv = p.Alloc(n + ".qkv", 4L * rows * 3 * dimOut);
        ctx.Run(I, ctx.Unit(n + ".attn.qkv", KernelOp.Gemm, rows), attnIn, qkv);

        int qSide = side / blk.QStride, qSideW = sideW / blk.QStride;
        int qRows = blk.Windows * qSide * qSideW;
        var attn = p.Alloc(n + ".attn.out", 4L * qRows * dimOut);
        long pooledBytes = blk.QStride > 1 ? ProgramBuilder.Align(4L * qSide * qSideW * dimOut) : 0;
        int workers = KernelSelector.Workers(blk.Windows);
        long slotBytes = ProgramBuilder.Align(pooledBytes + 4L * LoweringContext.AttentionScratchFloats(qSide * qSideW, side * sideW, blk.HeadDim));
        var scratch = p.Alloc(n + ".attn.scratch", workers * slotBytes);
        p.Add(I, "Sam2Ops.HieraAttention", $"{n}.attn — {blk.Heads} heads × {blk.HeadDim}, {blk.Windows} × ({blk.QueryTokens} q, {blk.KeyTokens} k){(blk.IsQPool ? ", q max-pooled 2×2" : "")}",
            ("a", Literal.Raw("a")), ("qkv", qkv), ("windows", blk.Windows), ("height", side), ("width", sideW), ("heads", blk.Heads), ("headDim", blk.HeadDim),
            ("qStride", blk.QStride), ("output", attn), ("workers", workers), ("scratch", scratch), ("scratchBytes", workers * slotBytes));

        var proj = p.Alloc(n + ".attn.proj.out", 4L * qRows * dimOut);
        var x1 = p.Alloc(n + ".x1", 4L * oh * ow * dimOut);
        if (blk.WindowSize > 0)
        {
            ctx.Run(I, ctx.Unit(n + ".attn.proj", KernelOp.Gemm, qRows), attn, proj);
            p.Add(I, "Sam2Ops.WindowUnpartitionAdd", $"{n} window un-partition ({qSide}×{qSideW} windows, crop to {oh}×{ow}) + shortcut",
                ("a", Literal.Raw("a")), ("input", proj), ("window", qSide), ("height", oh), ("width", ow), ("channels", dimOut), ("residual", shortcut), ("output", x1));
        }
        else
        {
            // Global attention keeps map order, so the residual add fuses into the projection's epilogue.
            ctx.Run(I, ctx.Unit(n + ".attn.proj", KernelOp.Gemm, qRows, residual: true), attn, x1, shortcut);
        }

        var norm2 = ctx.Layer(n + ".norm2");
        var xn2 = p.Alloc(n + ".xn2", 4L * oh * ow * dimOut);
        p.Add(I, "Sam2Ops.LayerNorm", $"{n}.norm2 — LayerNorm {dimOut}, {oh * ow} tokens",
            ("a", Literal.Raw("a")), ("input", x1), ("output", xn2), ("rows", oh * ow), ("channels", dimOut),
            ("weight", Literal.Raw(ctx.Parameter(norm2.Name + ".weight"))), ("bias", Literal.Raw(ctx.Parameter(norm2.Name + ".bias"))), ("eps", eps));

        // MLP: GELU fused into the first GEMM; when the second is quantized the first writes its input codes directly.
        var mlp1Name = n + ".mlp.layers.1";
        var mlp1Quant = !ctx.QuantOf(mlp1Name).KeepFloat;
        int tokens = oh * ow;
        var mlp0 = ctx.Unit(n + ".mlp.layers.0", KernelOp.Gemm, tokens, activation: EpilogueActivation.Gelu);
        var mlp1 = ctx.Unit(mlp1Name, KernelOp.Gemm, tokens, residual: true, inputIsCodes: mlp1Quant);
        if (mlp1Quant) mlp0 = LoweringContext.QuantizingFor(mlp0, mlp1);
        var hidden = p.Alloc(n + ".mlp.hidden", (mlp1Quant ? 1L : 4L) * tokens * blk.MlpHidden);
        ctx.Run(I, mlp0, xn2, hidden);
        var x2 = p.Alloc(n + ".x2", 4L * tokens * dimOut);
        ctx.Run(I, mlp1, hidden, x2, x1);
        return x2;
    }
}
