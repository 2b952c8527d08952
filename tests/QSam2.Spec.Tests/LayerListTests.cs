using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

/// <summary>The ordered layer list against sam2-architecture.md §10 (Hiera-T image path, 1024², one click).</summary>
public class LayerListTests
{
    private static readonly ExpandedArch Tiny = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t")));

    [Theory]
    [InlineData(ModelComponent.Trunk, LayerKind.Linear, 51, 26_806_944L)]
    [InlineData(ModelComponent.Trunk, LayerKind.Conv2d, 1, 14_208L)]
    [InlineData(ModelComponent.Trunk, LayerKind.LayerNorm, 24, 17_472L)]
    [InlineData(ModelComponent.Neck, LayerKind.Conv2d, 4, 369_664L)]
    [InlineData(ModelComponent.PromptEncoder, LayerKind.Conv2d, 3, 4_644L)]
    [InlineData(ModelComponent.PromptEncoder, LayerKind.LayerNorm2d, 2, 40L)]
    [InlineData(ModelComponent.PromptEncoder, LayerKind.Embedding, 6, 1_536L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.Linear, 50, 4_110_341L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.Conv2d, 2, 24_672L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.ConvTranspose2d, 2, 73_824L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.LayerNorm, 9, 4_608L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.LayerNorm2d, 1, 128L)]
    [InlineData(ModelComponent.MaskDecoder, LayerKind.Embedding, 3, 1_536L)]
    public void Layer_type_summary_matches_section_10(ModelComponent component, LayerKind kind, int count, long parameters)
    {
        var layers = Tiny.Layers.Where(l => l.Component == component && l.Kind == kind).ToArray();
        Assert.Equal(count, layers.Length);
        Assert.Equal(parameters, layers.Sum(l => l.ParameterCount));
    }

    [Theory]
    [InlineData("image_encoder.trunk.patch_embed.proj", LayerKind.Conv2d, "96,3,7,7", 924_844_032L)]
    [InlineData("image_encoder.trunk.blocks.1.attn.qkv", LayerKind.Linear, "576,96", 3_623_878_656L)]
    [InlineData("image_encoder.trunk.blocks.1.proj", LayerKind.Linear, "192,96", 1_207_959_552L)]
    [InlineData("image_encoder.trunk.blocks.4.attn.qkv", LayerKind.Linear, "1152,384", 2_167_603_200L)]
    [InlineData("image_encoder.trunk.blocks.10.attn.proj", LayerKind.Linear, "768,768", 722_534_400L)]
    [InlineData("image_encoder.trunk.blocks.11.mlp.layers.0", LayerKind.Linear, "3072,768", 2_415_919_104L)]
    [InlineData("image_encoder.neck.convs.0.conv", LayerKind.Conv2d, "256,768,1,1", 201_326_592L)]
    [InlineData("image_encoder.neck.convs.3.conv", LayerKind.Conv2d, "256,96,1,1", 1_610_612_736L)]
    [InlineData("sam_mask_decoder.conv_s0", LayerKind.Conv2d, "32,256,1,1", 536_870_912L)]
    [InlineData("sam_mask_decoder.conv_s1", LayerKind.Conv2d, "64,256,1,1", 268_435_456L)]
    [InlineData("sam_prompt_encoder.mask_downscaling.0", LayerKind.Conv2d, "4,1,2,2", 262_144L)]
    [InlineData("sam_prompt_encoder.mask_downscaling.6", LayerKind.Conv2d, "256,16,1,1", 16_777_216L)]
    [InlineData("sam_mask_decoder.transformer.layers.0.self_attn.q_proj", LayerKind.Linear, "256,256", 524_288L)]
    [InlineData("sam_mask_decoder.transformer.layers.1.cross_attn_token_to_image.k_proj", LayerKind.Linear, "128,256", 134_217_728L)]
    [InlineData("sam_mask_decoder.transformer.layers.0.cross_attn_image_to_token.out_proj", LayerKind.Linear, "256,128", 134_217_728L)]
    [InlineData("sam_mask_decoder.transformer.layers.0.mlp.layers.0", LayerKind.Linear, "2048,256", 4_194_304L)]
    [InlineData("sam_mask_decoder.output_upscaling.0", LayerKind.ConvTranspose2d, "256,64,2,2", 268_435_456L)]
    [InlineData("sam_mask_decoder.output_upscaling.3", LayerKind.ConvTranspose2d, "64,32,2,2", 134_217_728L)]
    [InlineData("sam_mask_decoder.output_hypernetworks_mlps.3.layers.2", LayerKind.Linear, "32,256", 8_192L)]
    [InlineData("sam_mask_decoder.iou_prediction_head.layers.2", LayerKind.Linear, "4,256", 1_024L)]
    [InlineData("sam_mask_decoder.pred_obj_score_head.layers.2", LayerKind.Linear, "1,256", 256L)]
    public void Table_10_rows(string name, LayerKind kind, string weightShape, long macs)
    {
        var l = Tiny.FindLayer(name);
        Assert.NotNull(l);
        Assert.Equal(kind, l!.Kind);
        Assert.Equal(weightShape, string.Join(",", l.Parameters.Single(p => p.Name == "weight").Shape));
        Assert.Equal(macs, l.Macs);
    }

    [Fact]
    public void Activations_and_eps_follow_section_2()
    {
        Assert.Equal(LayerActivation.Gelu, Tiny.FindLayer("image_encoder.trunk.blocks.0.mlp.layers.0")!.ActivationAfter);
        Assert.Equal(LayerActivation.None, Tiny.FindLayer("image_encoder.trunk.blocks.0.mlp.layers.1")!.ActivationAfter);
        Assert.Equal(LayerActivation.Relu, Tiny.FindLayer("sam_mask_decoder.transformer.layers.0.mlp.layers.0")!.ActivationAfter);
        Assert.Equal(LayerActivation.Sigmoid, Tiny.FindLayer("sam_mask_decoder.iou_prediction_head.layers.2")!.ActivationAfter);
        Assert.Equal(LayerActivation.None, Tiny.FindLayer("sam_mask_decoder.pred_obj_score_head.layers.2")!.ActivationAfter);
        Assert.Equal(LayerActivation.Gelu, Tiny.FindLayer("sam_mask_decoder.output_upscaling.1")!.ActivationAfter);
        Assert.Equal(1e-6, Tiny.FindLayer("image_encoder.trunk.blocks.3.norm2")!.Eps);
        Assert.Equal(1e-5, Tiny.FindLayer("sam_mask_decoder.transformer.norm_final_attn")!.Eps);
        Assert.Equal(1e-5, Tiny.FindLayer("memory_attention.norm")!.Eps);
        Assert.Equal(1e-6, Tiny.FindLayer("memory_encoder.fuser.layers.1.norm")!.Eps);
    }

    [Fact]
    public void Attention_cores_sit_between_their_projections()
    {
        var names = Tiny.Layers.Select(l => l.Name).ToList();
        int qkv = names.IndexOf("image_encoder.trunk.blocks.5.attn.qkv");
        Assert.Equal("image_encoder.trunk.blocks.5.attn", names[qkv + 1]);
        Assert.Equal("image_encoder.trunk.blocks.5.attn.proj", names[qkv + 2]);
        var core = Tiny.FindLayer("image_encoder.trunk.blocks.5.attn")!;
        Assert.Equal((LayerKind.Attention, 4, 4096), (core.Kind, core.Heads, core.KeyTokens));
        Assert.Equal(new[] { 1, 4, 4096, 96 }, core.InputShape.ToArray());
        var cross = Tiny.FindLayer("sam_mask_decoder.transformer.layers.0.cross_attn_token_to_image")!;
        Assert.Equal(new[] { 1, 8, 8, 16 }, cross.InputShape.ToArray()); // 8 tokens, 8 heads of 128/8
        Assert.Equal(4096, cross.KeyTokens);
    }

    [Fact]
    public void Layer_names_are_unique_and_own_exactly_their_keys()
    {
        foreach (var spec in new[] { "sam2.1_hiera_t", "sam2.1_hiera_l", "sam2_hiera_t", "sam2_mini" })
        {
            var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec(spec)));
            Assert.Equal(x.Layers.Count, x.Layers.Select(l => l.Name).Distinct().Count());
            foreach (var l in x.Layers)
            {
                foreach (var p in l.Parameters)
                {
                    var expected = l.Kind is LayerKind.Parameter or LayerKind.Buffer ? l.Name : l.Name + "." + p.Name;
                    Assert.Equal(expected, p.Key);
                    Assert.Equal(ModelComponents.OfKey(p.Key), l.Component);
                }
                if (l.Kind == LayerKind.Linear)
                {
                    Assert.Equal(new[] { l.OutFeatures, l.InFeatures }, l.Parameters[0].Shape.ToArray());
                    Assert.Equal(l.InFeatures, l.InputShape[^1]);
                    Assert.Equal(l.OutFeatures, l.OutputShape[^1]);
                    Assert.Equal(l.InputShape.Take(l.InputShape.Count - 1), l.OutputShape.Take(l.OutputShape.Count - 1));
                }
            }
        }
    }

    [Fact]
    public void Sequential_shapes_chain()
    {
        var x = Tiny;
        Assert.Equal(x.FindLayer("sam_prompt_encoder.mask_downscaling.0")!.OutputShape, x.FindLayer("sam_prompt_encoder.mask_downscaling.3")!.InputShape);
        Assert.Equal(new[] { 1, 256, 64, 64 }, x.FindLayer("sam_prompt_encoder.mask_downscaling.6")!.OutputShape.ToArray());
        Assert.Equal(new[] { 1, 32, 256, 256 }, x.FindLayer("sam_mask_decoder.output_upscaling.3")!.OutputShape.ToArray());
        Assert.Equal(new[] { 1, 256, 64, 64 }, x.FindLayer("memory_encoder.mask_downsampler.encoder.12")!.OutputShape.ToArray());
        Assert.Equal(new[] { 1, 1, 1024, 1024 }, x.FindLayer("memory_encoder.mask_downsampler.encoder.0")!.InputShape.ToArray());
        Assert.Equal(new[] { 1, 64, 64, 64 }, x.FindLayer("memory_encoder.out_proj")!.OutputShape.ToArray());
        Assert.Equal(new[] { 1, 4100, 64 }, x.FindLayer("memory_attention.layers.0.cross_attn_image.k_proj")!.InputShape.ToArray());
        Assert.Equal(256, x.FindLayer("memory_encoder.fuser.layers.0.dwconv")!.Groups);
    }

    [Fact]
    public void Expansion_is_deterministic_and_equatable()
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2_mini"));
        var a = ArchExpansion.Expand(spec);
        var b = ArchExpansion.Expand(spec);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ArchExpansion.Expand(spec, sparsePromptTokens: 3));
    }
}
