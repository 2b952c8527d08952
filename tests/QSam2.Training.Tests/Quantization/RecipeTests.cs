using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;
using QSam2.Tests.Shared;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Tests.Quantization;

public class RecipeTests
{
    private static string RecipesDir => Path.Combine(ReferenceFixture.RepoRoot(), "specs", "recipes");

    public static TheoryData<string> ShippedRecipes()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(ReferenceFixture.RepoRoot(), "specs", "recipes"), "*.recipe.json").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedRecipes))]
    public void ShippedRecipe_ReadsAndResolvesOnEveryShippedArch(string file)
    {
        var recipe = QuantRecipeReader.ReadFile(Path.Combine(RecipesDir, file));
        Assert.Equal(file, recipe.Name + ".recipe.json");
        foreach (var archFile in new[] { "sam2_mini", "sam2.1_hiera_t", "sam2.1_hiera_b+" })
        {
            var arch = ArchSpecReader.ReadFile(Path.Combine(ReferenceFixture.RepoRoot(), "specs", "arch", archFile + ".arch.json"));
            var targets = ImagePathStructure.QuantTargets(ArchExpansion.Expand(arch));
            var resolution = recipe.Resolve(arch.Name, ArchCanonicalText.Sha256Hex(arch), targets);
            Assert.True(resolution.For("image_encoder.trunk.patch_embed.proj").KeepFloat);
            Assert.True(resolution.For("sam_mask_decoder.output_upscaling.0").KeepFloat);
            Assert.False(resolution.For("image_encoder.trunk.blocks.0.attn.qkv").KeepFloat);
            Assert.False(resolution.For("image_encoder.neck.convs.0.conv").KeepFloat);
        }
    }

    [Fact]
    public void FullRecipe_ReadsEveryField()
    {
        var r = QuantRecipeReader.Read("""
            {
              "format_version": 1, "name": "x", "method": "qat",
              "defaults": { "weight_bits": 2, "activation_bits": 4, "granularity": "per_group", "group_size": 16 },
              "rules": [ { "match": "a.*", "keep_float": true }, { "match": "a.b", "keep_float": false, "weight_bits": 8 } ],
              "calibration": { "images": 7, "selection": "condition_number", "candidates": 9, "weights": "mse", "activations": "percentile", "activation_percentile": 99.5, "seed": 3 },
              "vrc": { "enabled": true, "variant": "truncated", "lambda": 0.001, "relative_to": "max_eigenvalue", "bias_correction": false, "layers": "x.*" },
              "qat": { "quantizer": "minmax", "steps": 11, "batch_size": 3, "objects_per_image": 5, "lr": 0.5, "quantizer_lr": 0.25, "momentum": 0.2 }
            }
            """, "x.recipe.json");
        Assert.Equal(QuantMethod.Qat, r.Method);
        Assert.Equal(new QuantLayerConfig { WeightBits = 2, ActivationBits = 4, Granularity = QuantGranularity.PerGroup, GroupSize = 16 }, r.Defaults);
        Assert.Equal(2, r.Rules.Count);
        Assert.Equal(new QuantLayerConfig { KeepFloat = false, WeightBits = 8 }, r.Rules[1].Config);
        Assert.Equal(new CalibrationOptions { Images = 7, Selection = ImageSelection.ConditionNumber, Candidates = 9, Weights = ClipMethod.Mse, Activations = ClipMethod.Percentile, ActivationPercentile = 99.5, Seed = 3 }, r.Calibration);
        Assert.Equal(new VrcOptions { Enabled = true, Variant = VrcVariant.Truncated, Lambda = 0.001, Scale = VrcScale.MaxEigenvalue, BiasCorrection = false, Layers = "x.*" }, r.Vrc);
        Assert.Equal(QatQuantizer.MinMax, r.Qat.Quantizer);
        Assert.Equal(11, r.Qat.Steps);
        Assert.Equal(0.25, r.Qat.QuantizerLearningRate);
        Assert.Equal(64, r.Sha256.Length);
    }

    private static SpecDiagnostic[] Errors(string json)
    {
        var e = Assert.Throws<SpecException>(() => QuantRecipeReader.Read(json, "bad.recipe.json"));
        return e.Diagnostics.ToArray();
    }

    [Fact]
    public void Mistakes_AreLocatedAtTheOffendingValue()
    {
        var d = Errors("""
            {
              "format_version": 1, "name": "x", "method": "ptq",
              "defaults": { "weight_bits": 5, "activation_bits": 8 },
              "rules": [ { "match": "a", "weigth_bits": 4 } ],
              "vrc": { "variant": "svd" }
            }
            """);
        Assert.Contains(d, x => x.Code == QuantErrorCodes.UnsupportedBits && x.Line == 3 && x.Message.Contains("weight_bits: 5", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Code == SpecErrorCodes.UnknownField && x.Line == 4 && x.Message.Contains("weigth_bits", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Code == SpecErrorCodes.InvalidValue && x.Line == 5 && x.Message.Contains("\"svd\"", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingRequiredFields_AreNamed()
    {
        var d = Errors("""{ "format_version": 1, "name": "x" }""");
        Assert.Contains(d, x => x.Message.Contains("\"method\"", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Message.Contains("\"defaults\"", StringComparison.Ordinal));
        var g = Errors("""{ "format_version": 1, "name": "x", "method": "ptq", "defaults": { "weight_bits": 4, "activation_bits": 8, "granularity": "per_group" } }""");
        Assert.Contains(g, x => x.Message.Contains("group_size", StringComparison.Ordinal));
    }
}
