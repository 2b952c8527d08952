using System.Text.Json;
using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

public class ShippedSpecTests
{
    [Fact]
    public void Every_arch_file_is_named_after_its_stem()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "specs", "arch"), "*.arch.json");
        Assert.Equal(6, files.Length);
        foreach (var f in files) Assert.Equal(ArchSpecReader.StemOf(f), ArchSpecReader.ReadFile(f).Name);
    }

    [Fact]
    public void Sam2_mini_is_a_small_sam2()
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2_mini")));
        Assert.Equal(256, x.ImageSize);
        Assert.Equal(16, x.EmbeddingSize);
        Assert.Equal(new[] { 32, 64, 128, 256 }, x.Stages.Select(s => s.Channels));
        Assert.Equal(new[] { 1, 2, 4, 8 }, x.Stages.Select(s => s.Heads));
        Assert.Equal(new[] { 64, 32, 16, 8 }, x.Stages.Select(s => s.Height));
        Assert.All(x.Blocks, b => Assert.Equal(b.PaddedHeight, b.InHeight)); // every window tiles its map
        Assert.Equal(2_361_202L, x.TotalParameters);
        Assert.True(x.Macs.ImagePath < 1_000_000_000L);

        // Same modules and key pattern as Hiera-T apart from the trunk blocks (7 instead of 12).
        var tiny = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t")));
        static string[] NonBlockKeys(ExpandedArch a) => a.StateDictInventory.Select(e => e.Key).Where(k => !k.Contains(".trunk.blocks.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(NonBlockKeys(tiny), NonBlockKeys(x));
        // 12 tensors per block plus the shortcut proj (weight, bias) of the 3 transition blocks.
        Assert.Equal(7 * 12 + 3 * 2, x.StateDictInventory.Count(e => e.Key.Contains(".trunk.blocks.", StringComparison.Ordinal)));
    }

    /// <summary>Every value of fixture-a.arch.json agrees with the reference's own resolved constructor arguments.</summary>
    [Fact]
    public void Fixture_a_arch_matches_the_reference_config()
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.FixtureAArch);
        using var doc = JsonDocument.Parse(File.ReadAllText(QSam2.Tests.Shared.ReferenceFixture.A.ConfigPath));
        var m = doc.RootElement.GetProperty("model_resolved_constructor_args");
        static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var trunk = m.GetProperty("image_encoder").GetProperty("trunk");
        Assert.Equal(trunk.GetProperty("embed_dim").GetInt32(), spec.Trunk.EmbedDim);
        Assert.Equal(trunk.GetProperty("num_heads").GetInt32(), spec.Trunk.NumHeads);
        Assert.Equal(trunk.GetProperty("q_pool").GetInt32(), spec.Trunk.QPool);
        Assert.Equal(Ints(trunk.GetProperty("q_stride")), spec.Trunk.QStride.ToArray());
        Assert.Equal(Ints(trunk.GetProperty("stages")), spec.Trunk.Stages.ToArray());
        Assert.Equal(Ints(trunk.GetProperty("window_spec")), spec.Trunk.WindowSpec.ToArray());
        Assert.Equal(Ints(trunk.GetProperty("global_att_blocks")), spec.Trunk.GlobalAttBlocks.ToArray());
        Assert.Equal(Ints(trunk.GetProperty("window_pos_embed_bkg_spatial_size")), spec.Trunk.WindowPosEmbedBkgSpatialSize.ToArray());
        Assert.Equal(trunk.GetProperty("dim_mul").GetDouble(), spec.Trunk.DimMul);
        Assert.Equal(trunk.GetProperty("head_mul").GetDouble(), spec.Trunk.HeadMul);
        var neck = m.GetProperty("image_encoder").GetProperty("neck");
        Assert.Equal(neck.GetProperty("d_model").GetInt32(), spec.Neck.DModel);
        Assert.Equal(Ints(neck.GetProperty("backbone_channel_list")), spec.Neck.BackboneChannelList.ToArray());
        Assert.Equal(Ints(neck.GetProperty("fpn_top_down_levels")), spec.Neck.FpnTopDownLevels.ToArray());
        Assert.Equal(neck.GetProperty("fpn_interp_model").GetString(), spec.Neck.FpnInterpModel);
        Assert.Equal(neck.GetProperty("fuse_type").GetString(), spec.Neck.FuseType);
        Assert.Equal(neck.GetProperty("position_encoding").GetProperty("temperature").GetDouble(), spec.Neck.PositionEncodingTemperature);
        Assert.Equal(m.GetProperty("image_encoder").GetProperty("scalp").GetInt32(), spec.Neck.Scalp);
        var ma = m.GetProperty("memory_attention");
        var layer = ma.GetProperty("layer");
        Assert.Equal(ma.GetProperty("d_model").GetInt32(), spec.MemoryAttention.DModel);
        Assert.Equal(ma.GetProperty("num_layers").GetInt32(), spec.MemoryAttention.NumLayers);
        Assert.Equal(layer.GetProperty("dim_feedforward").GetInt32(), spec.MemoryAttention.DimFeedforward);
        Assert.Equal(layer.GetProperty("dropout").GetDouble(), spec.MemoryAttention.Dropout);
        Assert.Equal(layer.GetProperty("cross_attention").GetProperty("rope_theta").GetDouble(), spec.MemoryAttention.RopeTheta);
        // kv_in_dim and num_heads are only in the YAML tree (the resolved tree keeps constructor defaults).
        var cross = doc.RootElement.GetProperty("model").GetProperty("memory_attention").GetProperty("layer").GetProperty("cross_attention");
        Assert.Equal(cross.GetProperty("kv_in_dim").GetInt32(), spec.MemoryAttention.KvInDim);
        Assert.Equal(cross.GetProperty("num_heads").GetInt32(), spec.MemoryAttention.NumHeads);
        var me = m.GetProperty("memory_encoder");
        var ds = me.GetProperty("mask_downsampler");
        var cx = me.GetProperty("fuser").GetProperty("layer");
        Assert.Equal(me.GetProperty("in_dim").GetInt32(), spec.MemoryEncoder.InDim);
        Assert.Equal(me.GetProperty("out_dim").GetInt32(), spec.MemoryEncoder.OutDim);
        Assert.Equal(ds.GetProperty("embed_dim").GetInt32(), spec.MemoryEncoder.MaskDownsamplerEmbedDim);
        Assert.Equal(ds.GetProperty("kernel_size").GetInt32(), spec.MemoryEncoder.MaskDownsamplerKernelSize);
        Assert.Equal(ds.GetProperty("stride").GetInt32(), spec.MemoryEncoder.MaskDownsamplerStride);
        Assert.Equal(ds.GetProperty("padding").GetInt32(), spec.MemoryEncoder.MaskDownsamplerPadding);
        Assert.Equal(ds.GetProperty("total_stride").GetInt32(), spec.MemoryEncoder.MaskDownsamplerTotalStride);
        Assert.Equal(me.GetProperty("fuser").GetProperty("num_layers").GetInt32(), spec.MemoryEncoder.FuserNumLayers);
        Assert.Equal(cx.GetProperty("kernel_size").GetInt32(), spec.MemoryEncoder.FuserKernelSize);
        Assert.Equal(cx.GetProperty("padding").GetInt32(), spec.MemoryEncoder.FuserPadding);
        Assert.Equal(cx.GetProperty("layer_scale_init_value").GetDouble(), spec.MemoryEncoder.FuserLayerScaleInit);
        Assert.Equal(m.GetProperty("num_maskmem").GetInt32(), spec.NumMaskmem);
        Assert.Equal(m.GetProperty("image_size").GetInt32(), spec.ImageSize);
        Assert.Equal(m.GetProperty("backbone_stride").GetInt32(), spec.BackboneStride);
        Assert.True(spec.IsSam21 == m.GetProperty("no_obj_embed_spatial").GetBoolean());
        var extra = m.GetProperty("sam_mask_decoder_extra_args");
        Assert.Equal(extra.GetProperty("dynamic_multimask_via_stability").GetBoolean(), spec.MaskDecoder.DynamicMultimaskViaStability);
        Assert.Equal(extra.GetProperty("dynamic_multimask_stability_delta").GetDouble(), spec.MaskDecoder.DynamicMultimaskStabilityDelta);
        Assert.Equal(extra.GetProperty("dynamic_multimask_stability_thresh").GetDouble(), spec.MaskDecoder.DynamicMultimaskStabilityThresh);
        Assert.Equal(m.GetProperty("use_high_res_features_in_sam").GetBoolean(), spec.MaskDecoder.UseHighResFeatures);
        Assert.Equal(m.GetProperty("pred_obj_scores_mlp").GetBoolean(), spec.MaskDecoder.PredObjScoresMlp);
        var heads = doc.RootElement.GetProperty("sam2base_hardcoded_heads");
        Assert.Equal(heads.GetProperty("sam_prompt_encoder").GetProperty("mask_in_chans").GetInt32(), spec.PromptEncoder.MaskInChans);
        var dec = heads.GetProperty("sam_mask_decoder");
        Assert.Equal(dec.GetProperty("transformer").GetProperty("mlp_dim").GetInt32(), spec.MaskDecoder.TransformerMlpDim);
        Assert.Equal(dec.GetProperty("transformer").GetProperty("num_heads").GetInt32(), spec.MaskDecoder.TransformerNumHeads);
        Assert.Equal(dec.GetProperty("transformer").GetProperty("depth").GetInt32(), spec.MaskDecoder.TransformerDepth);
        Assert.Equal(dec.GetProperty("iou_head_hidden_dim").GetInt32(), spec.MaskDecoder.IouHeadHiddenDim);
        Assert.Equal(dec.GetProperty("num_multimask_outputs").GetInt32(), spec.MaskDecoder.NumMultimaskOutputs);
    }
}
