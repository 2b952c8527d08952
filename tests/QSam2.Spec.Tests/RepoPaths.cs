namespace QSam2.Spec.Tests;

/// <summary>Locates repository files (specs, fixtures, golden files) from the test binary's folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "QSam2Compiler.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("QSam2Compiler.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string ArchSpec(string name) => Path.Combine(Root, "specs", "arch", name + ".arch.json");

    public static string FixtureAArch => Path.Combine(Root, "tests", "fixtures", "fixture-a.arch.json");

    public static string Golden(string fileName) => Path.Combine(Root, "tests", "QSam2.Spec.Tests", "Golden", fileName);
}
