using QSam2.Generators.Tests.Infrastructure;

namespace QSam2.Generators.Tests.Driver;

/// <summary>
/// Golden-file tests of the generated sources: sam2_mini and sam2.1_hiera_t, each FP32, W8A8 and mixed W4A8.
/// Every scenario must also compile against QSam2.Runtime with no diagnostics.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string, string, string?> Scenarios => new()
    {
        { "sam2_mini.fp32", "sam2_mini", null },
        { "sam2_mini.w8a8", "sam2_mini", "sam2_mini.w8a8" },
        { "sam2_mini.w4a8", "sam2_mini", "sam2_mini.w4a8" },
        { "sam2.1_hiera_t.fp32", "sam2.1_hiera_t", null },
        { "sam2.1_hiera_t.w8a8", "sam2.1_hiera_t", "sam2.1_hiera_t.w8a8" },
        { "sam2.1_hiera_t.w4a8", "sam2.1_hiera_t", "sam2.1_hiera_t.w4a8" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void GeneratedSources_MatchBaselines(string scenario, string arch, string? quant)
    {
        var additional = new List<InMemoryAdditionalText> { Specs.Additional(Specs.ArchPath(arch)) };
        if (quant != null) additional.Add(Specs.Additional(Specs.QuantPath(quant)));
        var (_, result, errors) = GeneratorHarness.Run(additional,
            GeneratorHarness.Declaration("Segmenter", arch + ".arch.json", quant is null ? null : quant + ".quant.json"));

        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.True(errors.IsEmpty, "generated code does not compile:\n" + string.Join("\n", errors.Take(20)));
        var generated = result.Results[0].GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var problems = Baseline.Verify(scenario, generated);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)) + (problems.Count > 20 ? $"\n... and {problems.Count - 20} more" : ""));
    }
}
