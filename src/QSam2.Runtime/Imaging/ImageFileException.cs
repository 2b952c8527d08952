namespace QSam2.Runtime.Imaging;

/// <summary>
/// An image or mask file that cannot be read or written: missing, not an image, truncated, too large.
/// The message always starts with the file path so a CLI can print it as one line.
/// </summary>
public sealed class ImageFileException : IOException
{
    /// <summary>The offending file (or the source name given to <see cref="ImageCodec.Decode"/>).</summary>
    public string FilePath { get; }

    public ImageFileException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
    }
}
