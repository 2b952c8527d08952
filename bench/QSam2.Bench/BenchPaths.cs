namespace QSam2.Bench;

/// <summary>Finds repository files (arch and quant specs) from the benchmark's output folder.</summary>
internal static class BenchPaths
{
    public static string ArchSpec(string name) => Find("arch", name + ".arch.json");

    public static string QuantSpec(string name) => Find("quant", name + ".quant.json");

    private static string Find(string folder, string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "specs", folder, file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"specs/{folder}/{file} not found above {AppContext.BaseDirectory}");
    }
}
