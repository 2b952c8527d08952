using System.Globalization;
using System.Text;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// The canonical text of an <see cref="ArchSpec"/>: one <c>path=value</c> line per field, in a fixed
/// order, integers in invariant culture, doubles as their IEEE-754 bit pattern (so .NET Framework
/// and .NET hosts of the generator agree byte for byte). Whitespace, comments or field order in the
/// JSON file do not change it; omitted fields hash like their explicit defaults. Its SHA-256 is the
/// quant spec's <c>arch_sha256</c> and the first part of a <c>.qsw</c> structure hash.
/// A test checks by reflection that every property of the arch records appears here.
/// </summary>
public static class ArchCanonicalText
{
    public static string Write(ArchSpec a)
    {
        var w = new Writer();
        w.S("name", a.Name);
        w.S("sam_version", a.SamVersion);
        w.I("image_size", a.ImageSize);
        w.I("backbone_stride", a.BackboneStride);
        w.I("num_maskmem", a.NumMaskmem);

        var t = a.Trunk;
        w.I("trunk.embed_dim", t.EmbedDim);
        w.I("trunk.num_heads", t.NumHeads);
        w.A("trunk.stages", t.Stages);
        w.A("trunk.global_att_blocks", t.GlobalAttBlocks);
        w.A("trunk.window_spec", t.WindowSpec);
        w.A("trunk.window_pos_embed_bkg_spatial_size", t.WindowPosEmbedBkgSpatialSize);
        w.I("trunk.q_pool", t.QPool);
        w.A("trunk.q_stride", t.QStride);
        w.D("trunk.dim_mul", t.DimMul);
        w.D("trunk.head_mul", t.HeadMul);
        w.D("trunk.mlp_ratio", t.MlpRatio);
        w.I("trunk.patch_kernel_size", t.PatchKernelSize);
        w.I("trunk.patch_stride", t.PatchStride);
        w.I("trunk.patch_padding", t.PatchPadding);
        w.D("trunk.layer_norm_eps", t.LayerNormEps);

        var n = a.Neck;
        w.I("neck.d_model", n.DModel);
        w.A("neck.backbone_channel_list", n.BackboneChannelList);
        w.A("neck.fpn_top_down_levels", n.FpnTopDownLevels);
        w.S("neck.fpn_interp_model", n.FpnInterpModel);
        w.S("neck.fuse_type", n.FuseType);
        w.I("neck.scalp", n.Scalp);
        w.D("neck.position_encoding_temperature", n.PositionEncodingTemperature);

        var p = a.PromptEncoder;
        w.I("prompt_encoder.mask_in_chans", p.MaskInChans);
        w.D("prompt_encoder.layer_norm_eps", p.LayerNormEps);

        var m = a.MaskDecoder;
        w.I("mask_decoder.num_multimask_outputs", m.NumMultimaskOutputs);
        w.I("mask_decoder.transformer_depth", m.TransformerDepth);
        w.I("mask_decoder.transformer_num_heads", m.TransformerNumHeads);
        w.I("mask_decoder.transformer_mlp_dim", m.TransformerMlpDim);
        w.I("mask_decoder.attention_downsample_rate", m.AttentionDownsampleRate);
        w.I("mask_decoder.iou_head_depth", m.IouHeadDepth);
        w.I("mask_decoder.iou_head_hidden_dim", m.IouHeadHiddenDim);
        w.B("mask_decoder.use_high_res_features", m.UseHighResFeatures);
        w.B("mask_decoder.iou_prediction_use_sigmoid", m.IouPredictionUseSigmoid);
        w.B("mask_decoder.pred_obj_scores", m.PredObjScores);
        w.B("mask_decoder.pred_obj_scores_mlp", m.PredObjScoresMlp);
        w.B("mask_decoder.use_multimask_token_for_obj_ptr", m.UseMultimaskTokenForObjPtr);
        w.B("mask_decoder.dynamic_multimask_via_stability", m.DynamicMultimaskViaStability);
        w.D("mask_decoder.dynamic_multimask_stability_delta", m.DynamicMultimaskStabilityDelta);
        w.D("mask_decoder.dynamic_multimask_stability_thresh", m.DynamicMultimaskStabilityThresh);
        w.D("mask_decoder.transformer_layer_norm_eps", m.TransformerLayerNormEps);
        w.D("mask_decoder.layer_norm_eps", m.LayerNormEps);

        var ma = a.MemoryAttention;
        w.I("memory_attention.d_model", ma.DModel);
        w.I("memory_attention.num_layers", ma.NumLayers);
        w.I("memory_attention.dim_feedforward", ma.DimFeedforward);
        w.I("memory_attention.num_heads", ma.NumHeads);
        w.D("memory_attention.rope_theta", ma.RopeTheta);
        w.I("memory_attention.kv_in_dim", ma.KvInDim);
        w.D("memory_attention.dropout", ma.Dropout);
        w.D("memory_attention.layer_norm_eps", ma.LayerNormEps);

        var me = a.MemoryEncoder;
        w.I("memory_encoder.in_dim", me.InDim);
        w.I("memory_encoder.out_dim", me.OutDim);
        w.I("memory_encoder.mask_downsampler_embed_dim", me.MaskDownsamplerEmbedDim);
        w.I("memory_encoder.mask_downsampler_kernel_size", me.MaskDownsamplerKernelSize);
        w.I("memory_encoder.mask_downsampler_stride", me.MaskDownsamplerStride);
        w.I("memory_encoder.mask_downsampler_padding", me.MaskDownsamplerPadding);
        w.I("memory_encoder.mask_downsampler_total_stride", me.MaskDownsamplerTotalStride);
        w.I("memory_encoder.fuser_num_layers", me.FuserNumLayers);
        w.I("memory_encoder.fuser_kernel_size", me.FuserKernelSize);
        w.I("memory_encoder.fuser_padding", me.FuserPadding);
        w.D("memory_encoder.fuser_layer_scale_init", me.FuserLayerScaleInit);
        w.D("memory_encoder.layer_norm_eps", me.LayerNormEps);
        return w.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="Write"/>: the value of a quant spec's <c>arch_sha256</c>.</summary>
    public static string Sha256Hex(ArchSpec arch) => Sha256.ToHex(Sha256.HashUtf8(Write(arch)));

    private sealed class Writer
    {
        private readonly StringBuilder _sb = new();

        public void S(string key, string value) => Line(key, "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"");

        public void I(string key, int value) => Line(key, value.ToString(CultureInfo.InvariantCulture));

        public void B(string key, bool value) => Line(key, value ? "true" : "false");

        public void D(string key, double value) =>
            Line(key, "0x" + BitConverter.DoubleToInt64Bits(value).ToString("x16", CultureInfo.InvariantCulture));

        public void A(string key, EquatableArray<int> values)
        {
            var parts = new string[values.Count];
            for (int i = 0; i < values.Count; i++) parts[i] = values[i].ToString(CultureInfo.InvariantCulture);
            Line(key, "[" + string.Join(",", parts) + "]");
        }

        private void Line(string key, string value) => _sb.Append(key).Append('=').Append(value).Append('\n');

        public override string ToString() => _sb.ToString();
    }
}
