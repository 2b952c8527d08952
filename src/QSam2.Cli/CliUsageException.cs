namespace QSam2.Cli;

/// <summary>
/// Bad input from the user (argument, file, prompt). The CLI prints <see cref="Exception.Message"/> as one
/// line on stderr and exits with <see cref="ExitCodes.BadInput"/>; nothing is written.
/// </summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message, Exception? inner = null) : base(message, inner) { }
}
