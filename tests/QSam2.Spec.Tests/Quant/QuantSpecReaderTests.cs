using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;

namespace QSam2.Spec.Tests.Quant;

public class QuantSpecReaderTests
{
    private const string Valid = """
        {
          "format_version": 1,
          "name": "tiny.w4a8",
          "arch": "tiny",
          "arch_sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "weights": "tiny.w4a8.qsw",
          "defaults": { "weight_bits": 4, "activation_bits": 8, "granularity": "per_channel" },
          "layers": {
            "image_encoder.trunk.patch_embed.proj": { "keep_float": true },
            "image_encoder.trunk.blocks.*.mlp.layers.0": { "weight_bits": 3, "granularity": "per_group", "group_size": 8,
                                                            "activation_scale": 0.02, "activation_zero_point": -3, "clip_range": [-1.5, 2.0] }
          },
          "recipe": { "method": "vrc+lsc", "calibration": { "images": 50 } }
        }
        """;

    [Fact]
    public void ReadsStructureAndIgnoresCalibratedNumbers()
    {
        var spec = QuantSpecReader.Read(Valid, "tiny.w4a8.quant.json");
        Assert.Equal("tiny", spec.Arch);
        Assert.Equal("tiny.w4a8.qsw", spec.Weights);
        Assert.Equal(4, spec.Defaults.WeightBits);
        Assert.Equal(8, spec.Defaults.ActivationBits);
        Assert.Equal(2, spec.Layers.Count);
        Assert.True(spec.Layers[0].Config.KeepFloat);
        var mlp = spec.Layers[1];
        Assert.True(mlp.IsPattern);
        Assert.Equal(new QuantLayerConfig { WeightBits = 3, Granularity = QuantGranularity.PerGroup, GroupSize = 8 }, mlp.Config);
        Assert.Equal(10, mlp.Position.Line);
        Assert.Equal(5, mlp.Position.Column);
        Assert.Contains(new QuantRecipeEntry("calibration.images", "50"), spec.Recipe);
    }

    [Fact]
    public void SameTextGivesEqualRecords_DifferentBitsDoNot()
    {
        var a = QuantSpecReader.Read(Valid, "f");
        Assert.Equal(a, QuantSpecReader.Read(Valid, "f"));
        Assert.NotEqual(a, QuantSpecReader.Read(Valid.Replace("\"weight_bits\": 3", "\"weight_bits\": 2"), "f"));
    }

    private static SpecDiagnostic Single(string text)
    {
        var spec = QuantSpecReader.TryRead(text, "bad.quant.json", out var diagnostics);
        Assert.Null(spec);
        return Assert.Single(diagnostics);
    }

    [Fact]
    public void UnsupportedWeightBits_IsLocatedAtTheValue()
    {
        var d = Single(Valid.Replace("\"weight_bits\": 3", "\"weight_bits\": 5"));
        Assert.Equal(QuantErrorCodes.UnsupportedBits, d.Code);
        Assert.Equal(10, d.Line);
        Assert.Contains("5", d.Message);
        Assert.Equal("bad.quant.json", d.File);
    }

    [Fact]
    public void UnsupportedActivationBits()
    {
        var d = Single(Valid.Replace("\"activation_bits\": 8", "\"activation_bits\": 16"));
        Assert.Equal(QuantErrorCodes.UnsupportedBits, d.Code);
        Assert.Equal(7, d.Line);
    }

    [Fact]
    public void UnknownGranularity()
    {
        var d = Single(Valid.Replace("\"per_channel\"", "\"per_row\""));
        Assert.Equal(SpecErrorCodes.InvalidValue, d.Code);
        Assert.Contains("per_row", d.Message);
    }

    [Fact]
    public void UnknownField_ShowsTheKey()
    {
        var d = Single(Valid.Replace("\"keep_float\"", "\"keep_flaot\""));
        Assert.Equal(SpecErrorCodes.UnknownField, d.Code);
        Assert.Contains("keep_flaot", d.Message);
        Assert.Equal(9, d.Line);
    }

    [Fact]
    public void WrongType()
    {
        var d = Single(Valid.Replace("\"weight_bits\": 4", "\"weight_bits\": \"4\""));
        Assert.Equal(SpecErrorCodes.WrongType, d.Code);
    }

    [Fact]
    public void MissingArch()
    {
        var d = Single(Valid.Replace("\"arch\": \"tiny\",", ""));
        Assert.Equal(SpecErrorCodes.MissingField, d.Code);
        Assert.Contains("arch", d.Message);
    }

    [Fact]
    public void BadHash()
    {
        var d = Single(Valid.Replace("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "XYZ"));
        Assert.Equal(SpecErrorCodes.InvalidValue, d.Code);
    }

    [Fact]
    public void UnsupportedFormatVersion()
    {
        var d = Single(Valid.Replace("\"format_version\": 1", "\"format_version\": 2"));
        Assert.Equal(QuantErrorCodes.UnsupportedFormatVersion, d.Code);
    }

    [Fact]
    public void SyntaxError_ComesFromTheJsonParserWithPosition()
    {
        var d = Single(Valid.Replace("\"weights\": \"tiny.w4a8.qsw\",", "\"weights\": \"tiny.w4a8.qsw\",,"));
        Assert.Equal(SpecErrorCodes.JsonSyntax, d.Code);
        Assert.Equal(6, d.Line);
    }

    [Fact]
    public void Read_ThrowsSpecExceptionNamingFileLineColumn()
    {
        var e = Assert.Throws<SpecException>(() => QuantSpecReader.Read(Valid.Replace("\"weight_bits\": 3", "\"weight_bits\": 5"), "q.quant.json"));
        Assert.StartsWith("q.quant.json(10,", e.Message);
    }
}
