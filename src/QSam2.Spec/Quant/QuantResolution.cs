using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// One weight layer with its decided quantization, and where in the quant spec that decision was last made
/// (the last matching <c>layers</c> key, or <c>defaults</c>) so later checks can point there.
/// </summary>
public sealed record ResolvedLayer(QuantTarget Target, ResolvedLayerQuant Quant)
{
    public TextPosition SourcePosition { get; init; } = TextPosition.Start;

    public int SourceLength { get; init; }
}

/// <summary>Result of <see cref="QuantResolver.Resolve"/>: every target layer in order, plus problems found.</summary>
public sealed record QuantResolution(EquatableArray<ResolvedLayer> Layers, EquatableArray<SpecDiagnostic> Diagnostics)
{
    public bool Succeeded => Diagnostics.Count == 0;

    public ResolvedLayerQuant For(string layerName)
    {
        foreach (var l in Layers)
            if (l.Target.Name == layerName) return l.Quant;
        throw new KeyNotFoundException("no weight layer named " + layerName);
    }
}
