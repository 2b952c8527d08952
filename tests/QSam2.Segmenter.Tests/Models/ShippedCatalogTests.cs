using QSam2.Segmenter.Models;
using QSam2.Spec.Quant;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.Models;

/// <summary>The models compiled into sam2seg agree with the specs they were generated from.</summary>
public class ShippedCatalogTests
{
    private static string SpecPath(string file) => Path.Combine(ReferenceFixture.RepoRoot(), "specs", "quant", file);

    [Fact]
    public void CatalogHoldsTheShippedRecipesWithW4A8AsDefault()
    {
        var names = ShippedModels.Catalog.Models.Select(m => m.Name).ToArray();
        var expected = new List<string> { "mini-fp32", "mini-w8a8", "mini-w4a8" };
        if (File.Exists(SpecPath("sam2_mini.w2a4.quant.json"))) expected.Add("mini-w2a4");
        Assert.Equal(expected, names);
        Assert.Equal("mini-w4a8", ShippedModels.Catalog.DefaultModel);
        Assert.Equal(4, ShippedModels.Catalog.Models.Select(m => m.StructureHashHex).Distinct().Count() + (expected.Count == 3 ? 1 : 0));
    }

    [Theory]
    [InlineData("mini-w8a8", "sam2_mini.w8a8.quant.json")]
    [InlineData("mini-w4a8", "sam2_mini.w4a8.quant.json")]
    [InlineData("mini-w2a4", "sam2_mini.w2a4.quant.json")]
    public void StatedBitsAreTheQuantSpecDefaults(string model, string specFile)
    {
        if (!File.Exists(SpecPath(specFile)))
        {
            Assert.DoesNotContain(ShippedModels.Catalog.Models, m => m.Name == model);
            return;
        }
        var spec = QuantSpecReader.Read(File.ReadAllText(SpecPath(specFile)), specFile);
        var m = ShippedModels.Catalog.Find(model);
        Assert.Equal(new ModelPrecision(spec.Defaults.WeightBits ?? 0, spec.Defaults.ActivationBits ?? 0), m.Precision);
        Assert.Contains(spec.Name, m.Description);
    }

    [Fact]
    public void EmbeddedWeightsMatchTheirSegmentersAndFp32HasNoQuantizedTensors()
    {
        foreach (var m in ShippedModels.Catalog.Models)
        {
            Assert.Equal(m.Precision.IsFloat32, m.Layout.Tensors.All(t => t.Kind == QSam2.Spec.Quant.Qsw.QswTensorKind.Float));
            if (!m.Weights.IsAvailable) continue; // weights not produced yet: listed as missing, refused at run time
            using var stream = m.Weights.Open()!;
            // Reading with the layout verifies magic, structure hash, checksum and the directory.
            var file = QSam2.Spec.Quant.Qsw.QswReader.Read(stream, m.Weights.Name, m.Layout);
            Assert.NotNull(file);
        }
    }
}
