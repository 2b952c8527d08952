using QSam2.Cli;
using QSam2.Tests.Shared;

namespace QSam2.Training.Tests.Cli;

/// <summary>Runs <c>qsam2</c> in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Qsam2App.Run(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static string Arch(string name) => Path.Combine(ReferenceFixture.RepoRoot(), "specs", "arch", name + ".arch.json");

    public static string FixtureArch => Path.Combine(ReferenceFixture.RepoRoot(), "tests", "fixtures", "fixture-a.arch.json");
}

/// <summary>A per-test scratch folder, deleted on dispose.</summary>
internal sealed class CliScratch : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qsam2-cli-" + Guid.NewGuid().ToString("N"));

    public CliScratch() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
