extern alias gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using QSam2.Generators.Tests.Infrastructure;
using GeneratedSource = gen::QSam2.Generators.Model.GeneratedSource;
using LayerUnit = gen::QSam2.Generators.Model.LayerUnit;
using Steps = gen::QSam2.Generators.Sam2SegmenterGenerator.StepNames;

namespace QSam2.Generators.Tests.Driver;

/// <summary>
/// Incrementality, checked through the tracked pipeline steps: a second run after an edit must re-run only what the
/// edit affects (<see cref="IncrementalStepRunReason"/> Cached/Unchanged for the rest).
/// </summary>
public class IncrementalTests
{
    private const string QuantName = "sam2_mini.w4a8";
    private const string ChangedLayer = "image_encoder.trunk.blocks.2.attn.qkv";

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, AdditionalText Arch, AdditionalText Quant) FirstRun()
    {
        var arch = Specs.Additional(Specs.ArchPath("sam2_mini"));
        // The compact hand-written spec (rules with wildcards), so one inserted rule is the last word on its layer.
        var quant = new InMemoryAdditionalText("/specs/" + QuantName + ".quant.json", File.ReadAllText(Specs.TestSpecPath(QuantName + ".handwritten.quant.json")));
        var compilation = GeneratorHarness.Compilation(GeneratorHarness.Declaration("Segmenter", "sam2_mini.arch.json", QuantName + ".quant.json"));
        var driver = GeneratorHarness.Driver(new[] { arch, quant }).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        return (driver, compilation, arch, quant);
    }

    private static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results[0].TrackedSteps[step].SelectMany(s => s.Outputs).ToList();

    [Fact]
    public void ChangingOneLayersBits_LeavesOtherLayersUnchanged()
    {
        var (driver, compilation, _, quant) = FirstRun();
        var text = quant.GetText()!.ToString();
        var edited = text.Replace("\"layers\": {", "\"layers\": {\n    \"" + ChangedLayer + "\": { \"weight_bits\": 3 },");
        Assert.NotEqual(text, edited);
        driver = driver.ReplaceAdditionalText(quant, new InMemoryAdditionalText(quant.Path, edited)).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        var units = Outputs(driver, Steps.LayerUnits);
        var sources = Outputs(driver, Steps.LayerSources);
        Assert.Equal(units.Count, sources.Count);
        Assert.True(units.Count > 50);
        var modified = sources.Where(o => o.Reason == IncrementalStepRunReason.Modified).ToList();
        var changed = (GeneratedSource)Assert.Single(modified).Value;
        Assert.Contains("TrunkBlocks2AttnQkv", changed.HintName);
        Assert.Contains("Gemm_W3A8_PerChannel", changed.Text);
        Assert.All(sources.Except(modified), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(units.Where(u => ((LayerUnit)u.Value).Kernel.Layer != ChangedLayer),
            o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.Equal(IncrementalStepRunReason.Modified, units.Single(u => ((LayerUnit)u.Value).Kernel.Layer == ChangedLayer).Reason);
    }

    [Fact]
    public void EditingUnrelatedFiles_RegeneratesNothing()
    {
        var (driver, compilation, _, _) = FirstRun();
        // An unrelated C# file and an unrelated AdditionalFile appear.
        var withUnrelated = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public class Unrelated { public int X => 1; }", GeneratorHarness.ParseOptions));
        driver = driver.AddAdditionalTexts(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/notes/readme.txt", "hello"))).RunGenerators(withUnrelated);

        foreach (var step in new[] { Steps.Requests, Steps.Inputs, Steps.Lowered, Steps.Models, Steps.MainSources, Steps.LayerUnits, Steps.LayerSources })
        {
            Assert.All(Outputs(driver, step), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void ReformattingTheQuantSpec_ReusesTheModel()
    {
        var (driver, compilation, _, quant) = FirstRun();
        var reformatted = "\n\n" + quant.GetText()!.ToString().Replace(": ", ":   ");
        driver = driver.ReplaceAdditionalText(quant, new InMemoryAdditionalText(quant.Path, reformatted)).RunGenerators(compilation);

        // The spec file is re-parsed (its positions moved) but lowering yields an equal model, so nothing is re-emitted.
        Assert.Contains(Outputs(driver, Steps.SpecFiles), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(Outputs(driver, Steps.Lowered), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(Outputs(driver, Steps.MainSources), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(Outputs(driver, Steps.LayerSources), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
