using QSam2.Spec.Arch;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Tests;

public class ArchSpecReaderTests
{
    [Fact]
    public void Omitted_fields_take_the_sam2_defaults()
    {
        var spec = ArchSpecReader.Read("{\"name\": \"x\"}", "x.arch.json");
        Assert.Equal(new ArchSpec { Name = "x" }, spec);
        Assert.Equal(1024, spec.ImageSize);
        Assert.Equal(new[] { 2, 3, 16, 3 }, spec.Trunk.Stages.ToArray());
    }

    [Fact]
    public void Snake_case_fields_map_to_properties()
    {
        const string json = """
            {
              "name": "m",
              "image_size": 512,
              "trunk": { "embed_dim": 112, "num_heads": 2, "global_att_blocks": [12, 16, 20], "q_stride": [2, 2], "layer_norm_eps": 1e-5 },
              "neck": { "d_model": 256, "backbone_channel_list": [896, 448, 224, 112], "fuse_type": "avg" },
              "mask_decoder": { "transformer_mlp_dim": 1024, "iou_head_hidden_dim": 128, "dynamic_multimask_via_stability": false },
              "memory_attention": { "kv_in_dim": 64, "rope_theta": 10000 },
              "memory_encoder": { "fuser_layer_scale_init": 0.5 }
            }
            """;
        var s = ArchSpecReader.Read(json, "m.arch.json");
        Assert.Equal(512, s.ImageSize);
        Assert.Equal(112, s.Trunk.EmbedDim);
        Assert.Equal(2, s.Trunk.NumHeads);
        Assert.Equal(1e-5, s.Trunk.LayerNormEps);
        Assert.Equal("avg", s.Neck.FuseType);
        Assert.Equal(1024, s.MaskDecoder.TransformerMlpDim);
        Assert.Equal(128, s.MaskDecoder.IouHeadHiddenDim);
        Assert.False(s.MaskDecoder.DynamicMultimaskViaStability);
        Assert.Equal(10000.0, s.MemoryAttention.RopeTheta);
        Assert.Equal(0.5, s.MemoryEncoder.FuserLayerScaleInit);
        Assert.Equal(new NeckSpec().FpnTopDownLevels, s.Neck.FpnTopDownLevels);
    }

    [Fact]
    public void Wrong_type_names_file_line_column_and_field_path()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"trunk\": {\n    \"embed_dim\": \"96\"\n  }\n}";
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Read(json, "specs/x.arch.json"));
        Assert.Equal(SpecErrorCodes.WrongType, e.Code);
        Assert.Equal("specs/x.arch.json", e.File);
        Assert.Equal(TextPositions.Of(json, "\"96\""), (e.Line, e.Column));
        Assert.Equal((4, 18), (e.Line, e.Column));
        Assert.Equal("specs/x.arch.json(4,18): field 'trunk.embed_dim' must be an integer, got string", e.Message);
    }

    [Theory]
    [InlineData("\"image_size\": 1024.5", "'image_size' must be an integer, got the number 1024.5")]
    [InlineData("\"image_size\": 3000000000", "must be an integer")]
    [InlineData("\"trunk\": 5", "'trunk' must be an object, got the number 5")]
    [InlineData("\"trunk\": { \"stages\": [1, \"2\"] }", "'trunk.stages[1]' must be an integer, got string")]
    [InlineData("\"trunk\": { \"stages\": 4 }", "'trunk.stages' must be an array of integers")]
    [InlineData("\"mask_decoder\": { \"pred_obj_scores\": 1 }", "must be true or false")]
    [InlineData("\"neck\": { \"fuse_type\": null }", "must be a string, got null")]
    public void Wrong_types_are_rejected(string member, string message)
    {
        var json = "{\"name\": \"x\", " + member + "}";
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Read(json, "x.arch.json"));
        Assert.Equal(SpecErrorCodes.WrongType, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Unknown_field_is_rejected_at_its_name_with_a_suggestion()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"trunk\": {\n    \"embedDim\": 96\n  }\n}";
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Read(json, "x.arch.json"));
        Assert.Equal(SpecErrorCodes.UnknownField, e.Code);
        Assert.Equal((4, 5), (e.Line, e.Column));
        Assert.Contains("unknown field 'embedDim' in 'trunk' (did you mean 'embed_dim'?)", e.Message);
    }

    [Fact]
    public void Unknown_top_level_field_lists_known_fields_when_nothing_is_close()
    {
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Read("{\"name\": \"x\", \"zzzzzzzz\": 1}", "x.arch.json"));
        Assert.Equal(SpecErrorCodes.UnknownField, e.Code);
        Assert.Contains("at the top level; known fields: name, description, sam_version", e.Message);
    }

    [Fact]
    public void All_binding_errors_are_reported_together()
    {
        const string json = "{\"name\": \"x\", \"foo\": 1, \"image_size\": \"big\", \"neck\": {\"bar\": 2}}";
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Read(json, "x.arch.json"));
        Assert.Equal(3, e.Diagnostics.Count);
        Assert.Equal(new[] { SpecErrorCodes.UnknownField, SpecErrorCodes.WrongType, SpecErrorCodes.UnknownField }, e.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Name_is_required_and_must_match_the_file_stem()
    {
        var missing = Assert.Throws<SpecException>(() => ArchSpecReader.Read("{\"image_size\": 1024}", "a.arch.json"));
        Assert.Equal(SpecErrorCodes.MissingField, missing.Code);
        Assert.Contains("'name'", missing.Message);

        var wrong = Assert.Throws<SpecException>(() => ArchSpecReader.Read("{\n\"name\": \"b\"}", "dir/a.arch.json"));
        Assert.Equal(SpecErrorCodes.NameMismatch, wrong.Code);
        Assert.Equal((2, 9), (wrong.Line, wrong.Column));

        // Other file names impose no stem.
        Assert.Equal("b", ArchSpecReader.Read("{\"name\": \"b\"}", "inline").Name);
    }

    [Fact]
    public void Description_is_documentation_only()
    {
        var doc = ArchSpecReader.Parse("{\"name\": \"x\", \"description\": \"why\"}", "x.arch.json");
        Assert.Equal("why", doc.Description);
        Assert.Equal(new ArchSpec { Name = "x" }, doc.Spec);
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.Parse("{\"name\": \"x\", \"description\": 3}", "x.arch.json"));
        Assert.Equal(SpecErrorCodes.WrongType, e.Code);
    }

    [Fact]
    public void Documents_compare_by_value_positions_included()
    {
        const string json = "{\"name\": \"x\", \"trunk\": {\"stages\": [1, 2, 7, 2]}}";
        Assert.Equal(ArchSpecReader.Parse(json, "x.arch.json"), ArchSpecReader.Parse(json, "x.arch.json"));
        Assert.NotEqual(ArchSpecReader.Parse(json, "x.arch.json"), ArchSpecReader.Parse(" " + json, "x.arch.json"));
    }

    [Fact]
    public void TryRead_returns_diagnostics_instead_of_throwing()
    {
        var (ok, none) = ArchSpecReader.TryRead(File.ReadAllText(RepoPaths.ArchSpec("sam2_mini")), "sam2_mini.arch.json");
        Assert.NotNull(ok);
        Assert.Empty(none);
        var (bad, syntax) = ArchSpecReader.TryRead("{\"name\": ", "x.arch.json");
        Assert.Null(bad);
        Assert.Equal(SpecErrorCodes.JsonSyntax, Assert.Single(syntax).Code);
        var (invalid, rules) = ArchSpecReader.TryRead("{\"name\": \"x\", \"sam_version\": \"3\"}", "x.arch.json");
        Assert.Null(invalid);
        Assert.Equal(SpecErrorCodes.InvalidValue, Assert.Single(rules).Code);
    }

    [Fact]
    public void Missing_file_is_a_spec_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "qsam2-no-such-dir", "none.arch.json");
        var e = Assert.Throws<SpecException>(() => ArchSpecReader.ReadFile(path));
        Assert.Equal(SpecErrorCodes.FileUnreadable, e.Code);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Source_map_locates_values_and_omitted_fields_fall_back_to_their_section()
    {
        const string json = "{\n  \"name\": \"x\",\n  \"trunk\": {\n    \"stages\": [1, 2, 7, 2]\n  }\n}";
        var doc = ArchSpecReader.Parse(json, "x.arch.json");
        var item = doc.SourceMap.Locate("trunk.stages[2]");
        Assert.Equal(TextPositions.Of(json, "7"), (item.Position.Line, item.Position.Column));
        var omitted = doc.SourceMap.Locate("trunk.embed_dim");
        Assert.Equal(TextPositions.Of(json, "{", 2), (omitted.Position.Line, omitted.Position.Column));
        Assert.Equal((1, 1), (doc.SourceMap.Locate("neck.d_model").Position.Line, doc.SourceMap.Locate("neck.d_model").Position.Column));
    }

    [Theory]
    [InlineData("sam2.1_hiera_t")]
    [InlineData("sam2.1_hiera_s")]
    [InlineData("sam2.1_hiera_b+")]
    [InlineData("sam2.1_hiera_l")]
    [InlineData("sam2_hiera_t")]
    [InlineData("sam2_mini")]
    public void Writer_round_trips_every_shipped_spec(string name)
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.ArchSpec(name));
        var json = ArchSpecWriter.ToJson(spec);
        Assert.Equal(spec, ArchSpecReader.Read(json, name + ".arch.json"));
    }

    [Fact]
    public void Writer_emits_every_field_with_a_non_default_value_round_tripped()
    {
        var odd = new ArchSpec
        {
            Name = "odd",
            SamVersion = "2.0",
            Trunk = new TrunkSpec { DimMul = 1.5, LayerNormEps = 3.25e-7, GlobalAttBlocks = Array.Empty<int>() },
            Neck = new NeckSpec { PositionEncodingTemperature = 123.5 },
            MaskDecoder = new MaskDecoderSpec { UseHighResFeatures = false, DynamicMultimaskStabilityDelta = 0.1 },
        };
        var json = ArchSpecWriter.ToJson(odd);
        Assert.Contains("\"dim_mul\": 1.5", json);
        Assert.Contains("\"global_att_blocks\": []", json);
        Assert.Equal(odd, ArchSpecReader.Read(json, "odd", validate: false));
    }
}
