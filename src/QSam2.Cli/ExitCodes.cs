namespace QSam2.Cli;

/// <summary>Process exit codes shared by all <c>qsam2</c> commands.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but its check failed (e.g. <c>checkpoint verify</c> found a mismatch).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad arguments or unreadable/invalid input files.</summary>
    public const int BadInput = 2;
}
