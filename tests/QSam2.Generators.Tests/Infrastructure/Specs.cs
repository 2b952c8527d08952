using QSam2.Tests.Shared;

namespace QSam2.Generators.Tests.Infrastructure;

/// <summary>Spec files of the repository (read from the source tree, not from the build output).</summary>
public static class Specs
{
    public static string Root => ReferenceFixture.RepoRoot();

    public static string ArchPath(string name) => Path.Combine(Root, "specs", "arch", name + ".arch.json");

    public static string QuantPath(string name) => Path.Combine(Root, "specs", "quant", name + ".quant.json");

    public static string TestSpecPath(string fileName) => Path.Combine(Root, "tests", "QSam2.Generators.Tests", "Specs", fileName);

    /// <summary>An AdditionalFile for a spec on disk, under a stable virtual path (so diagnostics and baselines do not depend on the checkout location).</summary>
    public static InMemoryAdditionalText Additional(string diskPath) =>
        new("/specs/" + Path.GetFileName(diskPath), File.ReadAllText(diskPath));
}
