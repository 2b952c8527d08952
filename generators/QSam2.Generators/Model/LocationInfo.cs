using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using QSam2.Spec.Diagnostics;

namespace QSam2.Generators.Model;

/// <summary>
/// A diagnostic location reduced to plain values (file path, span, line span), because a Roslyn
/// <see cref="Location"/> must not live in a cached pipeline model (it pins syntax trees and compares by identity).
/// </summary>
public sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() =>
        Location.Create(FilePath, new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));

    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null) return null;
        var span = location.GetLineSpan();
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan.Start, location.SourceSpan.Length,
            span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character);
    }

    /// <summary>A place in a spec (AdditionalFile) from the spec library's 1-based position; single-line span.</summary>
    public static LocationInfo InSpecFile(string path, TextPosition position, int length) =>
        new(path, position.Offset, Math.Max(0, length), position.Line - 1, position.Column - 1, position.Line - 1, position.Column - 1 + Math.Max(0, length));
}
