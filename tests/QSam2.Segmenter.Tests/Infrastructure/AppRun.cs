namespace QSam2.Segmenter.Tests.Infrastructure;

/// <summary>Runs sam2seg in-process on the test catalog and captures the exit code, stdout and stderr.</summary>
internal sealed record AppRun(int Code, string Out, string Err)
{
    public static AppRun Of(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Sam2SegApp.Run(args, stdout, stderr, TestCatalog.Catalog);
        return new AppRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The stderr lines (a bad-input run must print exactly one).</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}
