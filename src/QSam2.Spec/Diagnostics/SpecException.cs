namespace QSam2.Spec.Diagnostics;

/// <summary>
/// A spec file is wrong. The message is <c>"&lt;file&gt;(line,col): &lt;what&gt;"</c> for the first problem;
/// <see cref="Diagnostics"/> holds every problem found (validation reports them all at once).
/// </summary>
public sealed class SpecException : Exception
{
    public SpecException(SpecDiagnostic diagnostic)
        : this(new[] { diagnostic })
    {
    }

    public SpecException(IReadOnlyList<SpecDiagnostic> diagnostics)
        : base(FormatMessage(diagnostics))
    {
        Diagnostics = diagnostics;
        Diagnostic = diagnostics[0];
    }

    public SpecException(string code, string message, string file, TextPosition position, int length = 0)
        : this(new SpecDiagnostic(code, message, file, position, length))
    {
    }

    /// <summary>The first (primary) problem.</summary>
    public SpecDiagnostic Diagnostic { get; }

    /// <summary>All problems, in file order of discovery.</summary>
    public IReadOnlyList<SpecDiagnostic> Diagnostics { get; }

    public string Code => Diagnostic.Code;

    public string File => Diagnostic.File;

    public int Line => Diagnostic.Line;

    public int Column => Diagnostic.Column;

    public TextPosition Position => Diagnostic.Position;

    private static string FormatMessage(IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        if (diagnostics.Count == 0) throw new ArgumentException("At least one diagnostic is required.", nameof(diagnostics));
        if (diagnostics.Count == 1) return diagnostics[0].ToString();
        // The first line keeps the documented "<file>(line,col): <what>" shape; the rest lists the others.
        return diagnostics[0] + " (and " + (diagnostics.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + " more)\n" + string.Join("\n", diagnostics.Skip(1).Select(d => "  " + d));
    }
}
