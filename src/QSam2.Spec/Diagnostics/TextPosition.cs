namespace QSam2.Spec.Diagnostics;

/// <summary>
/// A place in a spec file: 0-based character <see cref="Offset"/> (UTF-16 units, what Roslyn's TextSpan uses)
/// and 1-based <see cref="Line"/> / <see cref="Column"/> (what people and MSBuild messages use).
/// </summary>
public readonly record struct TextPosition(int Offset, int Line, int Column)
{
    /// <summary>The start of a file; used when a value has no better location (e.g. an omitted field).</summary>
    public static TextPosition Start { get; } = new(0, 1, 1);

    public override string ToString() => "(" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + "," + Column.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
}
