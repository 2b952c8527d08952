using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// Applies a quant spec to an architecture's weight layers: <c>defaults</c>, then every matching
/// <c>layers</c> rule in document order. Reports rules that match nothing (unknown layer), layers left
/// without bits, group sizes that do not fit the weight shape, and a spec written for another arch.
/// </summary>
public static class QuantResolver
{
    /// <summary>
    /// Resolves every target. <paramref name="archName"/> / <paramref name="archSha256"/> are the arch the
    /// caller compiles for; the spec must name that arch and, when it records a hash, that hash.
    /// </summary>
    public static QuantResolution Resolve(QuantSpec spec, string file, string archName, string archSha256, IReadOnlyList<QuantTarget> targets)
    {
        var diagnostics = new List<SpecDiagnostic>();
        if (!string.Equals(spec.Arch, archName, StringComparison.Ordinal))
        {
            diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.ArchMismatch,
                $"quant spec \"{spec.Name}\" was made for arch \"{spec.Arch}\", not \"{archName}\"", file, spec.ArchPosition, spec.ArchLength));
        }
        else if (spec.ArchSha256.Length > 0 && !string.Equals(spec.ArchSha256, archSha256, StringComparison.Ordinal))
        {
            diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.ArchMismatch,
                $"arch_sha256 {spec.ArchSha256} does not match arch \"{archName}\" (canonical SHA-256 {archSha256}): the arch spec changed since this quantization was made",
                file, spec.ArchSha256Position, spec.ArchSha256Length));
        }

        var used = new bool[spec.Layers.Count];
        var layers = new List<ResolvedLayer>(targets.Count);
        foreach (var target in targets)
        {
            var config = spec.Defaults;
            QuantLayerRule? last = null;
            for (int r = 0; r < spec.Layers.Count; r++)
            {
                var rule = spec.Layers[r];
                if (!rule.Matches(target.Name)) continue;
                used[r] = true;
                config = config.Merge(rule.Config);
                last = rule;
            }
            var at = last?.Position ?? spec.DefaultsPosition;
            int atLength = last?.Length ?? 0;
            layers.Add(new ResolvedLayer(target, Decide(target, config, file, at, atLength, diagnostics)) { SourcePosition = at, SourceLength = atLength });
        }

        for (int r = 0; r < spec.Layers.Count; r++)
        {
            if (used[r]) continue;
            var rule = spec.Layers[r];
            diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.UnknownLayer, rule.IsPattern
                ? $"pattern \"{rule.Pattern}\" matches no Linear/Conv weight layer of arch \"{archName}\""
                : $"unknown layer \"{rule.Pattern}\": not a Linear/Conv weight layer of arch \"{archName}\" (keys are official state-dict prefixes, e.g. image_encoder.trunk.blocks.0.attn.qkv)",
                file, rule.Position, rule.Length));
        }
        return new QuantResolution(layers.ToArray(), diagnostics.ToArray());
    }

    private static ResolvedLayerQuant Decide(QuantTarget target, QuantLayerConfig c, string file, TextPosition at, int atLength, List<SpecDiagnostic> diagnostics)
    {
        if (c.KeepFloat == true) return ResolvedLayerQuant.Float;
        if (c.WeightBits is null || c.ActivationBits is null)
        {
            diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.IncompleteLayer,
                $"layer \"{target.Name}\" has no {(c.WeightBits is null ? "weight_bits" : "activation_bits")} after applying defaults and rules", file, at, atLength));
            return ResolvedLayerQuant.Float;
        }
        var granularity = c.Granularity ?? QuantGranularity.PerChannel;
        int group = 0;
        if (granularity == QuantGranularity.PerGroup)
        {
            if (c.GroupSize is not int g)
            {
                diagnostics.Add(new SpecDiagnostic(SpecErrorCodes.MissingField,
                    $"layer \"{target.Name}\" uses per_group granularity without \"group_size\"", file, at, atLength));
                return ResolvedLayerQuant.Float;
            }
            if (target.OutputAxis != 0)
            {
                diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.ShapeMismatch,
                    $"layer \"{target.Name}\" (weight [{string.Join(",", target.WeightShape)}], output channels on axis {target.OutputAxis}) cannot use per_group granularity; use per_channel or per_tensor", file, at, atLength));
                return ResolvedLayerQuant.Float;
            }
            if (target.ReductionSize % g != 0)
            {
                diagnostics.Add(new SpecDiagnostic(QuantErrorCodes.ShapeMismatch,
                    $"group_size {g} does not divide the {target.ReductionSize} weights per output channel of \"{target.Name}\" (weight [{string.Join(",", target.WeightShape)}])", file, at, atLength));
                return ResolvedLayerQuant.Float;
            }
            group = g;
        }
        return new ResolvedLayerQuant(false, c.WeightBits.Value, granularity, group, c.ActivationBits.Value);
    }
}
