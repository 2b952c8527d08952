using Microsoft.CodeAnalysis;
using QSam2.Generators.Diagnostics;
using QSam2.Spec.Diagnostics;

namespace QSam2.Generators.Model;

/// <summary>An equatable stand-in for a <see cref="Diagnostic"/> (id, message, location) that can sit in pipeline models.</summary>
public sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.For(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);

    /// <summary>A spec-library problem, located in the spec file at <paramref name="path"/>.</summary>
    public static DiagnosticInfo FromSpec(SpecDiagnostic d, string path) =>
        new(d.Code, d.Message, LocationInfo.InSpecFile(path, d.Position, d.Length));
}
