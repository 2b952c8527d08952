namespace QSam2.Bench;

/// <summary>Finds repository files (arch specs) from the benchmark's output folder.</summary>
internal static class BenchPaths
{
    public static string ArchSpec(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "specs", "arch", name + ".arch.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"specs/arch/{name}.arch.json not found above {AppContext.BaseDirectory}");
    }
}
