using QSam2.Spec.Quant;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Simulation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Vrc;

/// <summary>
/// Variance-reduced calibration of a float model, in place: one pass of the calibration images accumulates
/// <c>G = XᵀX</c> for every selected Linear (all from the float model, in one pass), then each weight is replaced by
/// its VRC solution (<see cref="VrcSolver"/>) and, optionally, the bias absorbs the mean output shift. Conv layers
/// (patch embedding, neck) are not calibrated, as in the paper.
/// </summary>
public static class VrcCalibrator
{
    /// <summary>Names of the Linear layers the options select, in official order.</summary>
    public static IReadOnlyList<string> SelectLayers(Sam2Model model, IEnumerable<QuantTarget> targets, VrcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var modules = LayerModules.ByName(model);
        var rule = new QuantLayerRule(options.Layers, new QuantLayerConfig(), Spec.Diagnostics.TextPosition.Start, 0);
        return targets.Where(t => rule.Matches(t.Name) && modules.TryGetValue(t.Name, out var m) && m is Linear).Select(t => t.Name).ToList();
    }

    public static IReadOnlyList<VrcLayerReport> Run(Sam2Model model, IReadOnlyList<string> layers, CalibrationImages images, IReadOnlyList<int> imageIndices,
        VrcOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(imageIndices);
        ArgumentNullException.ThrowIfNull(options);
        if (layers.Count == 0) throw new ArgumentException($"vrc.layers \"{options.Layers}\" selects no Linear layer");
        var modules = LayerModules.ByName(model);
        var accumulators = new List<(string Name, nn.Module<Tensor, Tensor> Module, GramAccumulator Gram)>();
        var removers = new List<Action>();
        try
        {
            foreach (var name in layers)
            {
                var module = LayerModules.WeightLayer(modules, name);
                var gram = new GramAccumulator(LayerModules.Weight(module).shape[1]);
                accumulators.Add((name, module, gram));
                removers.Add(module.register_forward_pre_hook((_, x) =>
                {
                    gram.Add(x);
                    return null!;
                }).remove);
            }
            for (int i = 0; i < imageIndices.Count; i++)
            {
                ImageRunner.Run(model, images.Input(imageIndices[i]), withDecoder: false);
                progress?.Invoke(i + 1, imageIndices.Count);
            }
        }
        finally
        {
            foreach (var r in removers) r();
        }

        var reports = new List<VrcLayerReport>();
        foreach (var (name, module, gram) in accumulators)
        {
            using (gram) reports.Add(Apply(name, module, gram, options));
        }
        return reports;
    }

    private static VrcLayerReport Apply(string name, nn.Module<Tensor, Tensor> module, GramAccumulator acc, VrcOptions options)
    {
        if (acc.Rows == 0) throw new InvalidOperationException($"{name}: the layer never ran on the calibration images");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = LayerModules.Weight(module);
        var bias = LayerModules.Bias(module);
        var g = acc.Gram;
        var sum = acc.Sum;
        var w = weight.detach().to_type(ScalarType.Float64).cpu();
        var b = bias is null ? zeros(new[] { w.shape[0] }, dtype: ScalarType.Float64) : bias.detach().to_type(ScalarType.Float64).cpu();
        var solution = VrcSolver.Solve(weight, g, options.Variant, options.Lambda, options.Scale);
        var wHat = solution.Weight.to_type(ScalarType.Float64).cpu();
        var delta = w - wHat; // ΔW = W − Ŵ
        var deltaB = options.BiasCorrection && bias is not null ? delta.matmul(acc.Mean) : zeros_like(b);

        // ‖ΔY‖² with ΔY = X·ΔWᵀ − 1·δbᵀ, and ‖Y‖² with Y = X·Wᵀ + 1·bᵀ, both exactly from G, Σx and n.
        double n = acc.Rows;
        double changed = delta.matmul(g).mul(delta).sum().item<double>()
            - (2 * deltaB.dot(delta.matmul(sum)).item<double>()) + (n * deltaB.dot(deltaB).item<double>());
        double reference = w.matmul(g).mul(w).sum().item<double>() + (2 * b.dot(w.matmul(sum)).item<double>()) + (n * b.dot(b).item<double>());

        var report = new VrcLayerReport(
            name, (int)w.shape[1], (int)w.shape[0], acc.Rows,
            w.var(unbiased: false).item<double>(), wHat.var(unbiased: false).item<double>(),
            w.norm().item<double>(), wHat.norm().item<double>(),
            w.abs().max().item<double>(), wHat.abs().max().item<double>(),
            reference > 0 ? Math.Max(0, changed) / reference : 0,
            solution.Lambda, solution.KeptDirections, CalibrationImageSelector.Condition(g));

        weight.copy_(solution.Weight);
        if (bias is not null && options.BiasCorrection) bias.add_(deltaB.to_type(bias.dtype).to(bias.device));
        return report;
    }
}
