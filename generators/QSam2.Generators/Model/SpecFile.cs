using QSam2.Spec.Model;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Model;

/// <summary>
/// One <c>.arch.json</c> or <c>.quant.json</c> AdditionalFile after parsing: its file name (what attributes refer to),
/// path (where diagnostics point), the parsed record or null, and the problems found. Parsed once per file text, so
/// editing one spec file re-parses only that file. Immutable and structurally equatable.
/// </summary>
public sealed record SpecFile
{
    public string Path { get; init; } = "";

    /// <summary>File name without directories, e.g. <c>sam2_mini.arch.json</c>.</summary>
    public string FileName { get; init; } = "";

    public ArchSpec? Arch { get; init; }

    /// <summary>Canonical SHA-256 of <see cref="Arch"/> (what quant specs record as <c>arch_sha256</c>).</summary>
    public string ArchSha256 { get; init; } = "";

    public QuantSpec? Quant { get; init; }

    public EquatableArray<DiagnosticInfo> Diagnostics { get; init; } = EquatableArray<DiagnosticInfo>.Empty;

    public bool IsArch => FileName.EndsWith(SpecFileKinds.ArchSuffix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The two kinds of spec file the generator reads.</summary>
public static class SpecFileKinds
{
    public const string ArchSuffix = ".arch.json";
    public const string QuantSuffix = ".quant.json";

    public static bool IsSpecFile(string path) =>
        path.EndsWith(ArchSuffix, StringComparison.OrdinalIgnoreCase) || path.EndsWith(QuantSuffix, StringComparison.OrdinalIgnoreCase);

    public static string FileNameOf(string path)
    {
        int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1);
    }
}
