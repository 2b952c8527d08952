using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// <c>image_encoder.trunk</c> (Hiera): own parameters first (<c>pos_embed</c>, <c>pos_embed_window</c>), then
/// <c>patch_embed.proj</c>, then per block <c>norm1, attn.qkv, attn (core), attn.proj, norm2, mlp.layers.0/1, proj</c>
/// — the registration order of <c>MultiScaleBlock.__init__</c> (the attention core sits between its projections).
/// </summary>
internal static class TrunkExpander
{
    private const string P = "image_encoder.trunk";

    public static void Expand(LayerListBuilder b, ArchSpec spec, int imageSize, EquatableArray<HieraBlock> blocks)
    {
        var t = spec.Trunk;
        int c = t.EmbedDim;
        b.Tensor(P + ".pos_embed", new[] { 1, c, t.WindowPosEmbedBkgSpatialSize[0], t.WindowPosEmbedBkgSpatialSize[1] });
        b.Tensor(P + ".pos_embed_window", new[] { 1, c, t.WindowSpec[0], t.WindowSpec[0] });
        b.Conv2d(P + ".patch_embed.proj", 3, c, t.PatchKernelSize, t.PatchStride, t.PatchPadding, imageSize, imageSize);

        foreach (var blk in blocks)
        {
            var n = P + ".blocks." + blk.Index;
            // Windowed blocks run qkv/attention/proj on the padded, window-partitioned map; global ones on the whole map.
            int groups = blk.Windows;
            int kSide = blk.WindowSize > 0 ? blk.WindowSize : blk.InHeight;
            int kSideW = blk.WindowSize > 0 ? blk.WindowSize : blk.InWidth;
            int qSide = blk.WindowSize > 0 ? blk.WindowSize / blk.QStride : blk.OutHeight;
            int qSideW = blk.WindowSize > 0 ? blk.WindowSize / blk.QStride : blk.OutWidth;

            b.LayerNorm(n + ".norm1", new[] { 1, blk.InHeight, blk.InWidth, blk.Dim }, t.LayerNormEps);
            b.Linear(n + ".attn.qkv", new[] { groups, kSide, kSideW, blk.Dim }, blk.Dim, 3 * blk.DimOut);
            b.Attention(n + ".attn", groups, blk.Heads, blk.QueryTokens, blk.KeyTokens, blk.HeadDim);
            b.Linear(n + ".attn.proj", new[] { groups, qSide, qSideW, blk.DimOut }, blk.DimOut, blk.DimOut);
            b.LayerNorm(n + ".norm2", new[] { 1, blk.OutHeight, blk.OutWidth, blk.DimOut }, t.LayerNormEps);
            b.Mlp(n + ".mlp", new[] { 1, blk.OutHeight, blk.OutWidth, blk.DimOut }, blk.DimOut, blk.MlpHidden, blk.DimOut, 2, LayerActivation.Gelu);
            if (blk.HasProjection)
            {
                // Shortcut of a stage transition: proj on the normalized full map, then max-pool when q-pooling.
                b.Linear(n + ".proj", new[] { 1, blk.InHeight, blk.InWidth, blk.Dim }, blk.Dim, blk.DimOut);
            }
        }
    }
}
