using QSam2.Spec.Quant;

namespace QSam2.Spec.Tests.Quant;

public class QuantResolverTests
{
    private static readonly QuantTarget[] Targets =
    {
        new("image_encoder.trunk.patch_embed.proj", new[] { 24, 3, 7, 7 }),
        new("image_encoder.trunk.blocks.0.attn.qkv", new[] { 72, 24 }),
        new("image_encoder.trunk.blocks.0.mlp.layers.0", new[] { 96, 24 }),
        new("image_encoder.trunk.blocks.1.mlp.layers.0", new[] { 192, 48 }),
        new("sam_mask_decoder.output_upscaling.0", new[] { 64, 16, 2, 2 }, OutputAxis: 1),
    };

    private static QuantSpec Spec(string layers, string defaults = "\"weight_bits\": 4, \"activation_bits\": 8") =>
        QuantSpecReader.Read("{ \"format_version\": 1, \"name\": \"t\", \"arch\": \"tiny\", \"defaults\": { " + defaults + " }, \"layers\": { " + layers + " } }", "t.quant.json");

    [Fact]
    public void DefaultsThenRulesInOrder_LaterFieldsWin()
    {
        var spec = Spec("""
            "image_encoder.trunk.patch_embed.proj": { "keep_float": true },
            "image_encoder.trunk.blocks.*.mlp.*": { "weight_bits": 2, "granularity": "per_group", "group_size": 8 },
            "image_encoder.trunk.blocks.1.mlp.layers.0": { "activation_bits": 4 }
            """);
        var r = QuantResolver.Resolve(spec, "t.quant.json", "tiny", "", Targets);
        Assert.True(r.Succeeded, string.Join("\n", r.Diagnostics));
        Assert.Equal(ResolvedLayerQuant.Float, r.For("image_encoder.trunk.patch_embed.proj"));
        Assert.Equal(new ResolvedLayerQuant(false, 4, QuantGranularity.PerChannel, 0, 8), r.For("image_encoder.trunk.blocks.0.attn.qkv"));
        Assert.Equal(new ResolvedLayerQuant(false, 2, QuantGranularity.PerGroup, 8, 8), r.For("image_encoder.trunk.blocks.0.mlp.layers.0"));
        Assert.Equal(new ResolvedLayerQuant(false, 2, QuantGranularity.PerGroup, 8, 4), r.For("image_encoder.trunk.blocks.1.mlp.layers.0"));
        Assert.Equal("W2A4 per_group(8)", r.For("image_encoder.trunk.blocks.1.mlp.layers.0").Describe());
    }

    [Fact]
    public void UnknownLayer_IsReportedAtItsKey()
    {
        var spec = Spec("\n\"image_encoder.trunk.blocks.0.norm1\": { \"keep_float\": true }");
        var r = QuantResolver.Resolve(spec, "t.quant.json", "tiny", "", Targets);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(QuantErrorCodes.UnknownLayer, d.Code);
        Assert.Equal(2, d.Line);
        Assert.Equal(1, d.Column);
        Assert.Contains("image_encoder.trunk.blocks.0.norm1", d.Message);
    }

    [Fact]
    public void PatternMatchingNothing_IsUnknown()
    {
        var r = QuantResolver.Resolve(Spec("\"memory_attention.*\": { \"weight_bits\": 8 }"), "t", "tiny", "", Targets);
        Assert.Equal(QuantErrorCodes.UnknownLayer, Assert.Single(r.Diagnostics).Code);
    }

    [Fact]
    public void GroupSizeThatDoesNotDivide_IsShapeMismatch()
    {
        var r = QuantResolver.Resolve(Spec("\"image_encoder.trunk.blocks.0.attn.qkv\": { \"granularity\": \"per_group\", \"group_size\": 16 }"), "t", "tiny", "", Targets);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(QuantErrorCodes.ShapeMismatch, d.Code);
        Assert.Contains("24", d.Message);
    }

    [Fact]
    public void PerGroupOnTransposedConv_IsShapeMismatch()
    {
        var r = QuantResolver.Resolve(Spec("\"sam_mask_decoder.output_upscaling.0\": { \"granularity\": \"per_group\", \"group_size\": 4 }"), "t", "tiny", "", Targets);
        Assert.Equal(QuantErrorCodes.ShapeMismatch, Assert.Single(r.Diagnostics).Code);
    }

    [Fact]
    public void OtherArchName_IsArchMismatchAtTheArchValue()
    {
        var r = QuantResolver.Resolve(Spec(""), "t", "sam2.1_hiera_t", "", Targets);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal(QuantErrorCodes.ArchMismatch, d.Code);
        Assert.Contains("sam2.1_hiera_t", d.Message);
    }

    [Fact]
    public void OtherArchHash_IsArchMismatch()
    {
        var text = "{ \"format_version\": 1, \"name\": \"t\", \"arch\": \"tiny\", \"arch_sha256\": \"" + new string('a', 64) + "\", \"defaults\": { \"weight_bits\": 8, \"activation_bits\": 8 } }";
        var spec = QuantSpecReader.Read(text, "t");
        Assert.True(QuantResolver.Resolve(spec, "t", "tiny", new string('a', 64), Targets).Succeeded);
        var d = Assert.Single(QuantResolver.Resolve(spec, "t", "tiny", new string('b', 64), Targets).Diagnostics);
        Assert.Equal(QuantErrorCodes.ArchMismatch, d.Code);
    }

    [Fact]
    public void FloatDefaultsWithoutBits_AreAllowed()
    {
        var r = QuantResolver.Resolve(Spec("\"image_encoder.trunk.blocks.0.attn.qkv\": { \"keep_float\": false, \"weight_bits\": 8, \"activation_bits\": 8 }", "\"keep_float\": true"), "t", "tiny", "", Targets);
        Assert.True(r.Succeeded);
        Assert.Single(r.Layers, l => !l.Quant.KeepFloat);
    }

    [Fact]
    public void IncompleteLayer_WhenDefaultsFloatAndRuleOmitsActivationBits()
    {
        var r = QuantResolver.Resolve(Spec("\"image_encoder.trunk.blocks.0.attn.qkv\": { \"keep_float\": false, \"weight_bits\": 8 }", "\"keep_float\": true"), "t", "tiny", "", Targets);
        Assert.Equal(QuantErrorCodes.IncompleteLayer, Assert.Single(r.Diagnostics).Code);
    }
}
