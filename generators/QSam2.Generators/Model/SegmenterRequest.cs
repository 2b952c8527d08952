namespace QSam2.Generators.Model;

/// <summary>
/// What one <c>[Sam2Segmenter(...)]</c> asks for: the class to complete and the spec file names, plus the
/// locations of the attribute arguments (for "file not found" diagnostics). Extracted from syntax immediately;
/// holds no Roslyn objects. Immutable and structurally equatable (incremental caching depends on it).
/// </summary>
public sealed record SegmenterRequest
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";

    /// <summary>"public" or "internal", copied onto the generated declaration.</summary>
    public string Accessibility { get; init; } = "internal";

    public string ArchFile { get; init; } = "";

    /// <summary>Null for an FP32 segmenter.</summary>
    public string? QuantFile { get; init; }

    public bool IsPartial { get; init; }

    /// <summary>Nested or generic classes are not supported (QS0303).</summary>
    public bool IsNestedOrGeneric { get; init; }

    public LocationInfo? ClassLocation { get; init; }
    public LocationInfo? ArchArgumentLocation { get; init; }
    public LocationInfo? QuantArgumentLocation { get; init; }

    /// <summary>Fully qualified name, used for hint names and ordering.</summary>
    public string FullName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;
}
