using QSam2.Generators.Tests.Infrastructure;

namespace QSam2.Generators.Tests.Driver;

public class SmokeTests
{
    [Fact]
    public void Sam2MiniFp32_GeneratesCompilingCode()
    {
        var (_, result, errors) = GeneratorHarness.Run(
            new[] { Specs.Additional(Specs.ArchPath("sam2_mini")) },
            GeneratorHarness.Declaration("MiniSegmenter", "sam2_mini.arch.json", null));
        Assert.Empty(result.Diagnostics);
        Assert.True(errors.IsEmpty, string.Join("\n", errors.Take(20)));
        Assert.True(result.Results[0].GeneratedSources.Length > 10);
    }
}
