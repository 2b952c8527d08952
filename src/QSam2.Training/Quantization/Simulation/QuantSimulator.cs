using QSam2.Spec.Quant;
using QSam2.Training.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Quantization simulation attached to a <see cref="Sam2Model"/> without changing it: one <see cref="QuantLayer"/>
/// (pre- and post-forward hooks) per weight layer that a resolved quant spec quantizes; layers kept in float are not
/// hooked. Everything else (norms, softmax, GELU, attention matmuls, residual adds) stays float32, as the numerics
/// contract says. Dispose removes the hooks.
/// </summary>
public sealed class QuantSimulator : IDisposable
{
    private readonly List<QuantLayer> _layers = new();
    private readonly Dictionary<string, QuantLayer> _byName = new(StringComparer.Ordinal);
    private readonly List<Action> _removers = new();

    private QuantSimulator(Sam2Model model, QuantResolution resolution)
    {
        Model = model;
        Resolution = resolution;
    }

    public Sam2Model Model { get; }

    public QuantResolution Resolution { get; }

    /// <summary>Quantized layers in official order.</summary>
    public IReadOnlyList<QuantLayer> Layers => _layers;

    public QuantLayer this[string name] =>
        _byName.TryGetValue(name, out var l) ? l : throw new KeyNotFoundException($"layer '{name}' is not quantized in this simulation");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public static QuantSimulator Attach(Sam2Model model, QuantResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(resolution);
        if (!resolution.Succeeded) throw new ArgumentException("the quantization has unresolved problems: " + resolution.Diagnostics[0].Message);
        var sim = new QuantSimulator(model, resolution);
        var modules = LayerModules.ByName(model);
        foreach (var resolved in resolution.Layers)
        {
            if (resolved.Quant.KeepFloat) continue;
            var module = LayerModules.WeightLayer(modules, resolved.Target.Name);
            var layer = new QuantLayer(resolved.Target, resolved.Quant, module);
            var pre = module.register_forward_pre_hook((_, x) => layer.BeforeForward(x)!);
            var post = module.register_forward_hook((_, _, _) => layer.AfterForward()!);
            sim._removers.Add(pre.remove);
            sim._removers.Add(post.remove);
            sim._layers.Add(layer);
            sim._byName[layer.Name] = layer;
        }
        return sim;
    }

    public void SetMode(LayerMode mode)
    {
        foreach (var l in _layers) l.Mode = mode;
    }

    /// <summary>Quantizers update their running statistics (QAT) when true.</summary>
    public void SetTraining(bool training)
    {
        foreach (var l in _layers) l.Training = training;
    }

    /// <summary>Every parameter the quantizers learn (LSC clip factors), in layer order: weight's, then input's.</summary>
    public IReadOnlyList<Parameter> LearnedParameters() =>
        _layers.SelectMany(l => (l.WeightQuantizer?.LearnedParameters ?? Array.Empty<Parameter>())
            .Concat(l.ActivationQuantizer?.LearnedParameters ?? Array.Empty<Parameter>())).ToList();

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
