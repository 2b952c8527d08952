using QSam2.Spec.Model;
using QSam2.Spec.Schema;

namespace QSam2.Spec.Arch;

/// <summary>
/// An arch spec as read from a file: the typed record, the file name used in messages, where each value was
/// written (so validation errors point into the file), and the file's free-text <c>description</c>
/// (documentation only, deliberately not part of <see cref="ArchSpec"/>). Immutable and equatable.
/// </summary>
public sealed record ArchSpecDocument(ArchSpec Spec, string File, SpecSourceMap SourceMap, string Description = "");
