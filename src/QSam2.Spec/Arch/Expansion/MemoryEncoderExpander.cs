using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// <c>memory_encoder</c>: the mask downsampler (conv/LN2d/GELU per stride step, channels ×stride² each, then a
/// 1×1 conv to embed_dim) on the image-size mask, <c>pix_feat_proj</c>, the CXBlock fuser (gamma first: a
/// module's own parameters precede its children) and <c>out_proj</c> when out_dim ≠ in_dim.
/// </summary>
internal static class MemoryEncoderExpander
{
    private const string P = "memory_encoder";

    /// <summary>Convs in the mask downsampler: the n with stride^n = total_stride.</summary>
    public static int DownsamplerLayers(MemoryEncoderSpec me)
    {
        int n = 0;
        long t = 1;
        while (t < me.MaskDownsamplerTotalStride && me.MaskDownsamplerStride > 1)
        {
            t *= me.MaskDownsamplerStride;
            n++;
        }
        return n;
    }

    public static void Expand(LayerListBuilder b, ArchSpec spec, int imageSize, int embeddingSize)
    {
        var me = spec.MemoryEncoder;
        double eps = me.LayerNormEps;
        int s = imageSize;
        int inC = 1;
        int index = 0;
        int layers = DownsamplerLayers(me);
        for (int i = 0; i < layers; i++)
        {
            int outC = inC * me.MaskDownsamplerStride * me.MaskDownsamplerStride;
            var conv = b.Conv2d(P + ".mask_downsampler.encoder." + index, inC, outC, me.MaskDownsamplerKernelSize, me.MaskDownsamplerStride, me.MaskDownsamplerPadding, s, s);
            s = conv.OutputShape[2];
            b.LayerNorm2d(P + ".mask_downsampler.encoder." + (index + 1), outC, s, s, eps, LayerActivation.Gelu);
            index += 3; // conv, LayerNorm2d, GELU
            inC = outC;
        }
        b.Conv2d(P + ".mask_downsampler.encoder." + index, inC, me.MaskDownsamplerEmbedDim, 1, 1, 0, s, s);

        int d = me.InDim;
        int e = embeddingSize;
        b.Conv2d(P + ".pix_feat_proj", d, d, 1, 1, 0, e, e);
        for (int l = 0; l < me.FuserNumLayers; l++)
        {
            var p = P + ".fuser.layers." + l;
            if (me.FuserLayerScaleInit > 0) b.Tensor(p + ".gamma", new[] { d });
            b.Conv2d(p + ".dwconv", d, d, me.FuserKernelSize, 1, me.FuserPadding, e, e, groups: d);
            b.LayerNorm2d(p + ".norm", d, e, e, eps);
            // pwconv1/2 are Linears on the channels-last permuted map.
            b.Linear(p + ".pwconv1", new[] { 1, e, e, d }, d, 4 * d, LayerActivation.Gelu);
            b.Linear(p + ".pwconv2", new[] { 1, e, e, 4 * d }, 4 * d, d);
        }
        if (me.OutDim != me.InDim) b.Conv2d(P + ".out_proj", d, me.OutDim, 1, 1, 0, e, e);
    }
}
