namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// A <c>.qsw</c> file that cannot be used: bad magic or version, wrong structure, failed checksum,
/// truncation, or a directory entry that does not fit. The message names the file and the field.
/// </summary>
public sealed class QswFormatException : Exception
{
    public QswFormatException(string file, string field, string problem)
        : base(file + ": " + field + ": " + problem)
    {
        File = file;
        Field = field;
    }

    /// <summary>Path or display name of the offending file.</summary>
    public string File { get; }

    /// <summary>Header field or tensor name the problem is about.</summary>
    public string Field { get; }
}
