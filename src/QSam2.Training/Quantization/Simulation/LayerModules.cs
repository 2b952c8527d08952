using QSam2.Training.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Finds the weight layers of a <see cref="Sam2Model"/> by their official names (the modules are registered under
/// the state-dict prefixes, so <c>named_modules()</c> gives e.g. <c>image_encoder.trunk.blocks.0.attn.qkv</c>).
/// </summary>
public static class LayerModules
{
    public static Dictionary<string, nn.Module> ByName(Sam2Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var map = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        foreach (var (name, module) in model.named_modules()) map[name] = module;
        return map;
    }

    /// <summary>The Linear / Conv2d / ConvTranspose2d registered as <paramref name="name"/>.</summary>
    public static nn.Module<Tensor, Tensor> WeightLayer(IReadOnlyDictionary<string, nn.Module> modules, string name)
    {
        if (!modules.TryGetValue(name, out var m))
            throw new ArgumentException($"the model has no module named '{name}' (layer names are official state-dict prefixes)");
        return m switch
        {
            Linear l => l,
            Convolution c => c,
            _ => throw new ArgumentException($"module '{name}' is a {m.GetType().Name}, not a Linear / Conv2d / ConvTranspose2d"),
        };
    }

    public static Parameter Weight(nn.Module<Tensor, Tensor> module) => module switch
    {
        Linear l => l.weight ?? throw new InvalidOperationException("Linear without weight"),
        Convolution c => c.weight,
        _ => throw new ArgumentException($"{module.GetType().Name} is not a weight layer"),
    };

    public static Parameter? Bias(nn.Module<Tensor, Tensor> module) => module switch
    {
        Linear l => l.bias,
        Convolution c => c.bias,
        _ => throw new ArgumentException($"{module.GetType().Name} is not a weight layer"),
    };
}
