using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Arch;

// File-system entry points, kept apart from the pure text reader: Roslyn generators must not do file IO (RS1035).
public static partial class ArchSpecReader
{
    /// <summary>Reads, binds and (by default) validates a spec file. Throws <see cref="SpecException"/> on any problem.</summary>
    public static ArchSpec ReadFile(string path, bool validate = true) => Read(ReadText(path), path, validate);

    /// <summary>Reads and binds a spec file without validating it.</summary>
    public static ArchSpecDocument ParseFile(string path) => Parse(ReadText(path), path);

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SpecException(SpecErrorCodes.FileUnreadable, "cannot read the arch spec: " + e.Message, path, TextPosition.Start);
        }
    }
}
