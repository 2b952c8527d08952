using System.Globalization;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Schema;

namespace QSam2.Spec.Arch.Validation;

/// <summary>Collects validation diagnostics, locating each by its JSON field path through the source map.</summary>
internal sealed class ValidationContext
{
    private readonly List<SpecDiagnostic> _diagnostics = new();
    private readonly SpecSourceMap _map;

    public ValidationContext(string file, SpecSourceMap map)
    {
        File = file;
        _map = map;
    }

    public string File { get; }

    public IReadOnlyList<SpecDiagnostic> Diagnostics => _diagnostics;

    public int Count => _diagnostics.Count;

    public void Error(string code, string path, string message)
    {
        var at = _map.Locate(path);
        _diagnostics.Add(new SpecDiagnostic(code, message, File, at.Position, at.Length));
    }

    public void Invalid(string path, string message) => Error(SpecErrorCodes.InvalidValue, path, message);

    public void Positive(string path, int value)
    {
        if (value <= 0) Invalid(path, $"'{path}' must be positive, got {I(value)}");
    }

    public void Positive(string path, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) Invalid(path, $"'{path}' must be a positive number, got {D(value)}");
    }

    /// <summary>Reports values above a sanity bound (see <see cref="ArchLimits"/>); returns false when exceeded.</summary>
    public bool AtMost(string path, long value, long max)
    {
        if (value <= max) return true;
        Invalid(path, $"'{path}' = {I(value)} exceeds the supported maximum {I(max)}");
        return false;
    }

    public bool AtMost(string path, double value, double max)
    {
        if (value <= max) return true;
        Invalid(path, $"'{path}' = {D(value)} exceeds the supported maximum {D(max)}");
        return false;
    }

    public void NonNegative(string path, int value)
    {
        if (value < 0) Invalid(path, $"'{path}' must be >= 0, got {I(value)}");
    }

    public static string Item(string path, int index) => path + "[" + I(index) + "]";

    public static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
