using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Quantization.Recipes;

/// <summary>
/// A quantization recipe (<c>specs/recipes/*.recipe.json</c>, format in specs/recipes/README.md): per-layer bits as
/// defaults plus an ordered list of rules on official layer names with <c>*</c> wildcards (every matching rule applies
/// in order, so for each field the last match wins; <c>keep_float</c> exempts a layer), and how to get there:
/// calibration, VRC, and PTQ or QAT. The structural part becomes the exported <c>.quant.json</c>.
/// </summary>
public sealed record QuantRecipe
{
    public const int CurrentFormatVersion = 1;

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public QuantMethod Method { get; init; } = QuantMethod.Ptq;

    public QuantLayerConfig Defaults { get; init; } = new();

    public IReadOnlyList<QuantLayerRule> Rules { get; init; } = Array.Empty<QuantLayerRule>();

    public CalibrationOptions Calibration { get; init; } = new();

    public VrcOptions Vrc { get; init; } = new();

    public QatOptions Qat { get; init; } = new();

    /// <summary>The file the recipe was read from (diagnostics), or a description for generated recipes.</summary>
    public string Source { get; init; } = "recipe";

    /// <summary>Lower-case hex SHA-256 of the recipe file's text (empty for generated recipes).</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The structural quant spec of this recipe for an architecture (defaults + rules, no provenance yet).</summary>
    public QuantSpec StructureFor(string archName, string archSha256) => new()
    {
        Name = Name,
        Arch = archName,
        ArchSha256 = archSha256,
        Defaults = Defaults,
        Layers = Rules.ToArray(),
    };

    /// <summary>Resolves the rules against the layers of an architecture; throws with located diagnostics on problems.</summary>
    public QuantResolution Resolve(string archName, string archSha256, IReadOnlyList<QuantTarget> targets)
    {
        var resolution = QuantResolver.Resolve(StructureFor(archName, archSha256), Source, archName, archSha256, targets);
        if (!resolution.Succeeded) throw new SpecException(resolution.Diagnostics.ToArray());
        return resolution;
    }

    /// <summary>A rule created in code (experiments): a glob pattern and the fields it sets.</summary>
    public static QuantLayerRule Rule(string pattern, QuantLayerConfig config) => new(pattern, config, TextPosition.Start, 0);
}
