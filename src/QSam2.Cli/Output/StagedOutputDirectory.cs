namespace QSam2.Cli.Output;

/// <summary>
/// Collects a command's output files in a hidden staging folder beside the target folder and moves them
/// into place only on <see cref="Commit"/>, so a failing command leaves nothing behind (DESIGN.md "Bad input").
/// Disposing without committing deletes the staging folder.
/// </summary>
public sealed class StagedOutputDirectory : IDisposable
{
    private readonly string _target;
    private bool _committed;

    /// <summary>The folder to write files into until <see cref="Commit"/>.</summary>
    public string StagingPath { get; }

    public StagedOutputDirectory(string targetDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        _target = Path.GetFullPath(targetDirectory);
        if (System.IO.File.Exists(_target)) throw new CliUsageException($"-o {targetDirectory}: is a file, expected a folder");
        string parent = Path.GetDirectoryName(_target.TrimEnd(Path.DirectorySeparatorChar)) ?? ".";
        if (!Directory.Exists(parent)) throw new CliUsageException($"-o {targetDirectory}: parent folder {parent} does not exist");
        StagingPath = Path.Combine(parent, $".{Path.GetFileName(_target.TrimEnd(Path.DirectorySeparatorChar))}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(StagingPath);
    }

    public string File(string name) => Path.Combine(StagingPath, name);

    /// <summary>Moves every staged file into the target folder (created if missing), replacing files of the same name.</summary>
    public void Commit()
    {
        if (!Directory.Exists(_target))
        {
            Directory.Move(StagingPath, _target);
        }
        else
        {
            foreach (var file in Directory.GetFiles(StagingPath))
            {
                System.IO.File.Move(file, Path.Combine(_target, Path.GetFileName(file)), overwrite: true);
            }
            Directory.Delete(StagingPath, recursive: true);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed || !Directory.Exists(StagingPath)) return;
        try
        {
            Directory.Delete(StagingPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the command already failed and reports that error.
        }
    }
}
