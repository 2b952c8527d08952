namespace QSam2.Spec.Diagnostics;

/// <summary>
/// One problem found in a spec file: a stable <see cref="Code"/>, a message, and where it is.
/// <see cref="Length"/> is the length in characters of the offending JSON text (0 when unknown), so the
/// generator can underline the value. Immutable and equatable (the generator caches on it).
/// </summary>
public sealed record SpecDiagnostic(string Code, string Message, string File, TextPosition Position, int Length = 0)
{
    public int Line => Position.Line;

    public int Column => Position.Column;

    /// <summary><c>file(line,col): message</c>.</summary>
    public override string ToString() => File + Position + ": " + Message;
}
