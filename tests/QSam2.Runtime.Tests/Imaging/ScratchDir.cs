namespace QSam2.Runtime.Tests.Imaging;

/// <summary>A per-test scratch folder, deleted on dispose.</summary>
internal sealed class ScratchDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qsam2-img-" + Guid.NewGuid().ToString("N"));

    public ScratchDir() => Directory.CreateDirectory(Path);

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
