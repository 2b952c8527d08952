using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Tests;

public class ArchSpecValidatorTests
{
    private static readonly string TinyJson = File.ReadAllText(RepoPaths.ArchSpec("sam2.1_hiera_t"));

    private static SpecException Reject(string json) =>
        Assert.Throws<SpecException>(() => ArchSpecReader.Read(json, "sam2.1_hiera_t.arch.json"));

    private static IReadOnlyList<SpecDiagnostic> Problems(ArchSpec spec) => ArchSpecValidator.Validate(spec);

    [Fact]
    public void Every_shipped_spec_and_the_fixture_are_valid()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoPaths.Root, "specs", "arch"), "*.arch.json").Append(RepoPaths.FixtureAArch))
        {
            var doc = ArchSpecReader.ParseFile(f);
            Assert.Empty(ArchSpecValidator.Validate(doc));
        }
    }

    [Fact]
    public void Inconsistent_channel_list_is_rejected_at_the_list()
    {
        var json = TinyJson.Replace("[768, 384, 192, 96]", "[768, 384, 192, 97]");
        var e = Reject(json);
        Assert.Equal(SpecErrorCodes.InconsistentArchitecture, e.Code);
        Assert.Equal(TextPositions.Of(json, "[768, 384, 192, 97]"), (e.Line, e.Column));
        Assert.Contains("[768, 384, 192, 96]", e.Message);
    }

    [Fact]
    public void Channel_list_in_trunk_order_is_rejected()
    {
        var e = Reject(TinyJson.Replace("[768, 384, 192, 96]", "[96, 192, 384, 768]"));
        Assert.Equal(SpecErrorCodes.InconsistentArchitecture, e.Code);
        Assert.Contains("deepest first", e.Message);
    }

    [Fact]
    public void Global_attention_on_a_q_pool_block_is_rejected_at_the_entry()
    {
        // Block 3 is the first (q-pooling) block of stage 3 in Hiera-T.
        var json = TinyJson.Replace("\"global_att_blocks\": [5, 7, 9]", "\"global_att_blocks\": [5, 3, 9]");
        var e = Reject(json);
        Assert.Equal(SpecErrorCodes.GlobalQPoolBlock, e.Code);
        Assert.Equal(TextPositions.Of(json, "3, 9]"), (e.Line, e.Column));
        Assert.Contains("divides by zero", e.Message);
    }

    [Fact]
    public void Global_attention_on_a_transition_without_q_pool_is_fine()
    {
        // With q_pool 2 the stage-4 transition (block 10) does not pool, so it may be global...
        var spec = new ArchSpec { Name = "x", Trunk = new TrunkSpec { Stages = new[] { 1, 2, 7, 2 }, GlobalAttBlocks = new[] { 10 }, QPool = 2, WindowPosEmbedBkgSpatialSize = new[] { 7, 7 } }, Neck = new NeckSpec { BackboneChannelList = new[] { 768, 384, 192, 96 } } };
        var problems = Problems(spec);
        Assert.DoesNotContain(problems, d => d.Code == SpecErrorCodes.GlobalQPoolBlock);
        // ...but then stage 4 no longer halves the map, which the FPN top-down path needs.
        Assert.Contains(problems, d => d.Code == SpecErrorCodes.ImageSizeMismatch && d.Message.Contains("FPN level 2"));
    }

    [Theory]
    [InlineData("\"global_att_blocks\": [5, 7, 12]", "block 12 does not exist")]
    [InlineData("\"global_att_blocks\": [5, 7, 7]", "listed twice")]
    [InlineData("\"window_spec\": [8, 4, 14]", "one window size per stage")]
    [InlineData("\"num_heads\": 5", "not divisible by its 5 heads")]
    [InlineData("\"embed_dim\": -96", "must be positive")]
    [InlineData("\"stages\": [1, 0, 7, 2]", "'trunk.stages[1]' must be positive")]
    [InlineData("\"window_pos_embed_bkg_spatial_size\": [7]", "must be [h, w]")]
    public void Trunk_rules(string replacement, string message)
    {
        var key = replacement.Substring(0, replacement.IndexOf(':'));
        var line = TinyJson.Split('\n').First(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal));
        var e = Reject(TinyJson.Replace(line.Trim().TrimEnd(','), replacement));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Window_larger_than_its_map_is_rejected_at_the_window_spec_entry()
    {
        // At 256 input, stage 3 maps are 16×16; a 20 window (stage 3's entry is window_spec[2]) does not fit.
        var json = TinyJson.Replace("\"image_size\": 1024", "\"image_size\": 256").Replace("[8, 4, 14, 7]", "[8, 4, 20, 7]");
        var e = Reject(json);
        Assert.Equal(SpecErrorCodes.ImageSizeMismatch, e.Code);
        Assert.Equal(TextPositions.Of(json, "20, 7]"), (e.Line, e.Column));
        Assert.Contains("larger than its 16×16 map", e.Message);
    }

    [Fact]
    public void First_window_must_tile_the_stage_1_map()
    {
        var e = Reject(TinyJson.Replace("[8, 4, 14, 7]", "[12, 4, 14, 7]"));
        Assert.Equal(SpecErrorCodes.ImageSizeMismatch, e.Code);
        Assert.Contains("pos_embed_window is tiled", e.Message);
    }

    [Fact]
    public void Odd_window_on_a_q_pool_block_is_rejected()
    {
        // Block 10 (q-pool) uses stage 3's window: 13 cannot be pooled by 2 inside each window.
        var e = Reject(TinyJson.Replace("[8, 4, 14, 7]", "[8, 4, 13, 7]"));
        Assert.Equal(SpecErrorCodes.ImageSizeMismatch, e.Code);
        Assert.Contains("multiple of the q-stride 2", e.Message);
    }

    [Theory]
    [InlineData(1000, "multiple of 32")]
    [InlineData(-32, "between 1 and 16384")]
    public void Image_size_must_fit_the_stride_chain(int size, string message)
    {
        var e = Reject(TinyJson.Replace("\"image_size\": 1024", $"\"image_size\": {size}"));
        Assert.Contains(message, e.Message);
        Assert.Equal(TextPositions.Of(TinyJson, "1024"), (e.Line, e.Column));
    }

    [Fact]
    public void Expand_checks_the_overriding_image_size()
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t"));
        var e = Assert.Throws<SpecException>(() => ArchExpansion.Expand(spec, imageSize: 1000));
        Assert.Contains("image size 1000", e.Message);
        // 128 input: stage-3 map 8×8 is smaller than the 14 window.
        Assert.Throws<SpecException>(() => ArchExpansion.Expand(spec, imageSize: 128));
    }

    [Fact]
    public void Cross_component_widths_must_agree()
    {
        var tiny = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t"));
        Assert.Contains(Problems(tiny with { MemoryAttention = tiny.MemoryAttention with { KvInDim = 32 } }), d => d.Message.Contains("kv_in_dim"));
        Assert.Contains(Problems(tiny with { MemoryAttention = tiny.MemoryAttention with { DModel = 128 } }), d => d.Message.Contains("'neck.d_model'"));
        Assert.Contains(Problems(tiny with { MemoryEncoder = tiny.MemoryEncoder with { InDim = 128 } }), d => d.Message.Contains("'memory_encoder.in_dim'"));
        Assert.Contains(Problems(tiny with { MemoryEncoder = tiny.MemoryEncoder with { OutDim = 48, } }), d => d.Message.Contains("must divide"));
        Assert.Contains(Problems(tiny with { MaskDecoder = tiny.MaskDecoder with { TransformerNumHeads = 7 } }), d => d.Message.Contains("transformer_num_heads"));
        Assert.Contains(Problems(tiny with { MemoryAttention = tiny.MemoryAttention with { NumHeads = 128 } }), d => d.Message.Contains("multiple of 4"));
        Assert.Contains(Problems(tiny with { MemoryEncoder = tiny.MemoryEncoder with { MaskDownsamplerTotalStride = 8 } }), d => d.Message.Contains("backbone_stride"));
        Assert.Contains(Problems(tiny with { MemoryEncoder = tiny.MemoryEncoder with { FuserPadding = 2 } }), d => d.Message.Contains("keep the map size"));
    }

    [Theory]
    [InlineData("\"sam_version\": \"2.1\"", "\"sam_version\": \"3\"", "\"2.0\" or \"2.1\"")]
    [InlineData("\"d_model\": 256", "\"d_model\": 255", "even")]
    public void Value_rules(string from, string to, string message)
    {
        var e = Reject(TinyJson.Replace(from, to));
        Assert.Equal(SpecErrorCodes.InvalidValue, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Unsupported_options_are_named()
    {
        var tiny = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t"));
        Assert.Contains(Problems(tiny with { Neck = tiny.Neck with { FpnInterpModel = "bilinear" } }), d => d.Code == SpecErrorCodes.Unsupported);
        Assert.Contains(Problems(tiny with { MaskDecoder = tiny.MaskDecoder with { PredObjScores = false } }), d => d.Code == SpecErrorCodes.Unsupported);
        Assert.Contains(Problems(tiny with { Trunk = tiny.Trunk with { QStride = new[] { 2, 1 } } }), d => d.Code == SpecErrorCodes.Unsupported);
    }

    [Fact]
    public void Several_problems_are_reported_at_once_and_message_keeps_the_first_format()
    {
        var json = TinyJson.Replace("\"sam_version\": \"2.1\"", "\"sam_version\": \"9\"").Replace("[768, 384, 192, 96]", "[1, 2, 3, 4]");
        var e = Reject(json);
        Assert.Equal(2, e.Diagnostics.Count);
        Assert.StartsWith($"sam2.1_hiera_t.arch.json{e.Diagnostics[0].Position}: ", e.Message);
    }

    [Fact]
    public void Validation_without_a_file_uses_the_spec_name()
    {
        var d = Assert.Single(Problems(new ArchSpec { Name = "q", SamVersion = "x" }));
        Assert.Equal("q.arch.json", d.File);
        Assert.Equal((1, 1), (d.Line, d.Column));
    }
}
