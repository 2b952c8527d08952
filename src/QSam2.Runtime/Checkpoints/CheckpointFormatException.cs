namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// A checkpoint file that cannot be read: truncated, corrupt, of an unknown format, or
/// referring to something a weights-only loader refuses. The message starts with the file path.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    public CheckpointFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file that was being read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
