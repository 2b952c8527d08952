namespace QSam2.Segmenter;

/// <summary>
/// Bad input from the user (argument, file, prompt, model name). <see cref="Sam2SegApp"/> prints the message as one
/// line on stderr and exits with <see cref="ExitCodes.BadInput"/>; commands throw it before writing anything.
/// </summary>
public sealed class UsageException : Exception
{
    public UsageException(string message, Exception? inner = null) : base(message, inner) { }
}
