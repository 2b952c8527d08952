using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;
using QSam2.Spec.Model;

namespace QSam2.Spec.Schema;

/// <summary>
/// State of one schema binding pass: the file name for messages, every diagnostic found so far (binding
/// keeps going after an error so all problems are reported at once) and the source map being built.
/// </summary>
public sealed class BindContext
{
    private readonly List<SpecDiagnostic> _diagnostics = new();
    private readonly List<SourceMapEntry> _map = new();

    public BindContext(string file) => File = file ?? "";

    public string File { get; }

    public IReadOnlyList<SpecDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    public void Report(string code, string message, TextPosition position, int length) =>
        _diagnostics.Add(new SpecDiagnostic(code, message, File, position, length));

    public void Report(string code, string message, JsonValue at) => Report(code, message, at.Position, at.Length);

    public void Record(string path, JsonValue value) => _map.Add(new SourceMapEntry(path, value.Position, value.Length));

    public SpecSourceMap BuildSourceMap() => new(new EquatableArray<SourceMapEntry>(_map));

    /// <summary>Throws a <see cref="SpecException"/> holding every diagnostic, if there are any.</summary>
    public void ThrowIfErrors()
    {
        if (_diagnostics.Count > 0) throw new SpecException(_diagnostics.ToArray());
    }

    /// <summary><c>"trunk.embed_dim"</c> style display of a path (the root is shown as "the document").</summary>
    public static string Display(string path) => path.Length == 0 ? "the document" : "'" + path + "'";

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;
}
