namespace QSam2.Training.Tests.Cli;

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
