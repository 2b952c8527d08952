using QSam2.Tests.Shared;

namespace QSam2.Generators.Tests.Infrastructure;

/// <summary>
/// Home-made golden files: <c>Baselines/&lt;scenario&gt;/&lt;hint&gt;.txt</c> in the source tree, compared exactly (line
/// ends normalized). A missing or different baseline FAILS the test and writes <c>*.received.txt</c> next to it;
/// set <c>QSAM2_ACCEPT_BASELINES=1</c> to (re)write the baselines deliberately. Stale baselines (no longer generated)
/// fail too, so a renamed layer cannot leave an orphan behind.
/// </summary>
public static class Baseline
{
    public const string AcceptVariable = "QSAM2_ACCEPT_BASELINES";

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    public static string Directory(string scenario) =>
        Path.Combine(ReferenceFixture.RepoRoot(), "tests", "QSam2.Generators.Tests", "Baselines", scenario);

    /// <summary>Compares every generated file of a scenario; returns the list of problems (empty when all match).</summary>
    public static List<string> Verify(string scenario, IReadOnlyDictionary<string, string> generated)
    {
        var dir = Directory(scenario);
        System.IO.Directory.CreateDirectory(dir);
        var problems = new List<string>();
        foreach (var (hint, text) in generated.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, hint + ".txt");
            var received = Path.Combine(dir, hint + ".received.txt");
            var actual = Normalize(text);
            if (Accepting)
            {
                File.WriteAllText(path, actual);
                if (File.Exists(received)) File.Delete(received);
                continue;
            }
            if (!File.Exists(path))
            {
                File.WriteAllText(received, actual);
                problems.Add($"missing baseline {path} (wrote {Path.GetFileName(received)}; set {AcceptVariable}=1 to accept)");
                continue;
            }
            var expected = Normalize(File.ReadAllText(path));
            if (expected != actual)
            {
                File.WriteAllText(received, actual);
                problems.Add($"{hint} differs from its baseline at line {FirstDifference(expected, actual)} (wrote {Path.GetFileName(received)})");
            }
            else if (File.Exists(received))
            {
                File.Delete(received);
            }
        }
        foreach (var file in System.IO.Directory.GetFiles(dir, "*.txt").Where(f => !f.EndsWith(".received.txt", StringComparison.Ordinal)))
        {
            var hint = Path.GetFileName(file)[..^".txt".Length];
            if (generated.ContainsKey(hint)) continue;
            if (Accepting) File.Delete(file);
            else problems.Add($"stale baseline {file}: no longer generated");
        }
        return problems;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static int FirstDifference(string a, string b)
    {
        var la = a.Split('\n');
        var lb = b.Split('\n');
        for (int i = 0; i < Math.Min(la.Length, lb.Length); i++)
            if (la[i] != lb[i]) return i + 1;
        return Math.Min(la.Length, lb.Length) + 1;
    }
}
