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
