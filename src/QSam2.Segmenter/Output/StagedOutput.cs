namespace QSam2.Segmenter.Output;

/// <summary>
/// Collects a command's output files in a hidden staging folder and moves them into the target folder only on
/// <see cref="Commit"/>, so a failing run leaves nothing behind (DESIGN.md "Bad input"). The staging folder sits in
/// the nearest existing ancestor of the target, on the same file system, so every move is a rename. The target folder
/// (and missing parents) are created only at commit. Disposing without committing deletes the staging folder.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private readonly string _target;
    private bool _committed;

    public string StagingPath { get; }

    /// <param name="targetDirectory">The <c>-o</c> folder; it may not exist yet, but must not be a file.</param>
    public StagedOutput(string targetDirectory)
    {
        _target = CheckTarget(targetDirectory);
        string ancestor = NearestExistingAncestor(_target);
        StagingPath = Path.Combine(ancestor, $".sam2seg-staging-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(StagingPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"-o {targetDirectory}: cannot write in {ancestor}: {e.Message}", e);
        }
    }

    /// <summary>Validates the target folder argument without touching the disk; returns its full path.</summary>
    public static string CheckTarget(string targetDirectory)
    {
        if (string.IsNullOrWhiteSpace(targetDirectory)) throw new UsageException("-o: the output folder name is empty");
        string full;
        try
        {
            full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"-o {targetDirectory}: not a valid folder path ({e.Message})", e);
        }
        if (System.IO.File.Exists(full)) throw new UsageException($"-o {targetDirectory}: is a file, expected a folder");
        for (string? p = Path.GetDirectoryName(full); p != null; p = Path.GetDirectoryName(p))
        {
            if (System.IO.File.Exists(p)) throw new UsageException($"-o {targetDirectory}: {p} is a file, expected a folder");
        }
        return full;
    }

    public string File(string name) => Path.Combine(StagingPath, name);

    /// <summary>Moves every staged file into the target folder (created if missing), replacing files of the same name.</summary>
    public void Commit()
    {
        Directory.CreateDirectory(_target);
        foreach (var file in Directory.GetFiles(StagingPath))
        {
            System.IO.File.Move(file, Path.Combine(_target, Path.GetFileName(file)), overwrite: true);
        }
        Directory.Delete(StagingPath, recursive: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed || !Directory.Exists(StagingPath)) return;
        try
        {
            Directory.Delete(StagingPath, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the run already failed and reports that error.
        }
    }

    private static string NearestExistingAncestor(string path)
    {
        for (string? p = Path.GetDirectoryName(path); p != null; p = Path.GetDirectoryName(p))
        {
            if (Directory.Exists(p)) return p;
        }
        return Path.GetPathRoot(path) ?? ".";
    }
}
