namespace QSam2.Segmenter;

/// <summary>Process exit codes of <c>sam2seg</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure inside sam2seg (a bug, or the machine ran out of memory or disk).</summary>
    public const int InternalError = 1;

    /// <summary>Bad arguments, unreadable or invalid input files, bad prompts, unknown model.</summary>
    public const int BadInput = 2;
}
