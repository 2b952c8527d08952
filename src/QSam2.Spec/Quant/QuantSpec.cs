using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// A quantization spec as declared in <c>specs/quant/&lt;name&gt;.quant.json</c> (schema in
/// <c>specs/README.md</c>). It drives code generation, so it holds structure only: per-layer
/// weight bits, granularity, activation bits and float exemptions, plus provenance (arch hash,
/// the <c>.qsw</c> it was exported with and its SHA-256, the recipe). Calibrated numbers a human
/// may find in the JSON (activation scale, zero point, clip range) are read and ignored.
/// Immutable and structurally equatable: the generator's incremental cache compares it.
/// </summary>
public sealed record QuantSpec
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Spec name, e.g. <c>sam2.1_hiera_t.w4a8</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Name of the arch spec this quantization was made for, e.g. <c>sam2.1_hiera_t</c>.</summary>
    public string Arch { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the arch's canonical text (<see cref="ArchCanonicalText"/>); empty when not recorded.</summary>
    public string ArchSha256 { get; init; } = "";

    /// <summary>File name of the <c>.qsw</c> exported with this spec (provenance; empty when none).</summary>
    public string Weights { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of that <c>.qsw</c> file (provenance; empty when none).</summary>
    public string WeightsSha256 { get; init; } = "";

    /// <summary>Applies to every weight layer before the rules.</summary>
    public QuantLayerConfig Defaults { get; init; } = new();

    /// <summary>Per-layer rules in document order (later rules override fields of earlier ones).</summary>
    public EquatableArray<QuantLayerRule> Layers { get; init; } = EquatableArray<QuantLayerRule>.Empty;

    /// <summary>Where the <c>arch</c> value is written (diagnostics point at it).</summary>
    public TextPosition ArchPosition { get; init; } = TextPosition.Start;

    public int ArchLength { get; init; }

    /// <summary>Where the <c>arch_sha256</c> value is written.</summary>
    public TextPosition ArchSha256Position { get; init; } = TextPosition.Start;

    public int ArchSha256Length { get; init; }

    /// <summary>Where the <c>defaults</c> object is written.</summary>
    public TextPosition DefaultsPosition { get; init; } = TextPosition.Start;

    /// <summary>Recipe provenance, flattened to dotted keys (e.g. <c>method</c>, <c>calibration.images</c>).</summary>
    public EquatableArray<QuantRecipeEntry> Recipe { get; init; } = EquatableArray<QuantRecipeEntry>.Empty;
}

/// <summary>One scalar of the recipe block, with its dotted path and JSON text.</summary>
public sealed record QuantRecipeEntry(string Key, string Value);
