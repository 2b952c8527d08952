using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant;
using QSam2.Tests.Shared;

namespace QSam2.Spec.Tests.Quant;

/// <summary>Every shipped <c>specs/quant/*.quant.json</c> reads, resolves against its arch, and records the arch's current hash.</summary>
public class QuantSpecFilesTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(ReferenceFixture.RepoRoot(), "specs", "quant"), "*.quant.json").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ResolvesAgainstItsArch(string fileName)
    {
        var root = ReferenceFixture.RepoRoot();
        var path = Path.Combine(root, "specs", "quant", fileName);
        var spec = QuantSpecReader.Read(File.ReadAllText(path), path);
        Assert.Equal(fileName, spec.Name + ".quant.json");
        var arch = ArchSpecReader.ReadFile(Path.Combine(root, "specs", "arch", spec.Arch + ".arch.json"));
        var hash = ArchCanonicalText.Sha256Hex(arch);
        Assert.True(spec.ArchSha256 == hash, $"{fileName}: arch_sha256 should be {hash}");
        var resolution = QuantResolver.Resolve(spec, path, arch.Name, hash, ImagePathStructure.QuantTargets(ArchExpansion.Expand(arch)));
        Assert.True(resolution.Succeeded, string.Join("\n", resolution.Diagnostics));
        Assert.Contains(resolution.Layers, l => !l.Quant.KeepFloat);
    }
}
