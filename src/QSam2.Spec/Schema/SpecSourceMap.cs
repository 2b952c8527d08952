using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Schema;

/// <summary>Where one JSON value of a spec was written: its field path (e.g. <c>trunk.stages[2]</c>), position and length.</summary>
public sealed record SourceMapEntry(string Path, TextPosition Position, int Length);

/// <summary>
/// Field path → location of every value read from a spec file, so validation (which works on the typed
/// records) can still point at the offending JSON text. Paths use the JSON names: <c>trunk</c>,
/// <c>trunk.global_att_blocks</c>, <c>trunk.global_att_blocks[1]</c>; the root object is <c>""</c>.
/// Immutable and equatable.
/// </summary>
public sealed record SpecSourceMap(EquatableArray<SourceMapEntry> Entries)
{
    private Dictionary<string, SourceMapEntry>? _byPath;

    public static SpecSourceMap Empty { get; } = new(EquatableArray<SourceMapEntry>.Empty);

    public bool TryGet(string path, out SourceMapEntry entry)
    {
        _byPath ??= Entries.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byPath.TryGetValue(path, out entry!);
    }

    /// <summary>
    /// The best location for <paramref name="path"/>: the value itself if it was written, else the nearest
    /// written parent (an omitted field is reported at its enclosing object), else the start of the file.
    /// </summary>
    public SourceMapEntry Locate(string path)
    {
        var p = path;
        while (true)
        {
            if (TryGet(p, out var e)) return e;
            if (p.Length == 0) return new SourceMapEntry("", TextPosition.Start, 0);
            int bracket = p.LastIndexOf('[');
            int dot = p.LastIndexOf('.');
            int cut = Math.Max(bracket, dot);
            p = cut < 0 ? "" : p.Substring(0, cut);
        }
    }

    public bool Equals(SpecSourceMap? other) => other is not null && Entries.Equals(other.Entries);

    public override int GetHashCode() => Entries.GetHashCode();
}
