using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Vrc;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Pipeline;

/// <summary>
/// Results of the deterministic calibration steps, reused by runs that share them (the cells of
/// <c>qsam2 experiment</c>): the chosen calibration images, the VRC-calibrated weights with their reports, and the
/// observed input statistics. Every entry is keyed by everything it depends on, so a hit returns exactly what a
/// fresh computation would.
/// </summary>
public sealed class CalibrationCache : IDisposable
{
    private readonly Dictionary<string, (IReadOnlyList<int> Indices, string Text)> _selections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Dictionary<string, Tensor> Tensors, IReadOnlyList<VrcLayerReport> Reports)> _vrc = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, ActivationStatistics>> _inputs = new(StringComparer.Ordinal);

    internal (IReadOnlyList<int> Indices, string Text) Selection(string key, Func<(IReadOnlyList<int>, string)> compute)
    {
        if (!_selections.TryGetValue(key, out var value)) _selections[key] = value = compute();
        return value;
    }

    internal IReadOnlyDictionary<string, ActivationStatistics> Inputs(string key, Func<IReadOnlyDictionary<string, ActivationStatistics>> compute)
    {
        if (!_inputs.TryGetValue(key, out var value)) _inputs[key] = value = compute();
        return value;
    }

    /// <summary>Runs VRC on <paramref name="model"/>, or writes the cached result of the same calibration into it.</summary>
    internal IReadOnlyList<VrcLayerReport> Vrc(string key, Sam2Model model, IReadOnlyList<string> layers, Func<IReadOnlyList<VrcLayerReport>> compute)
    {
        var keys = layers.SelectMany(l => new[] { l + ".weight", l + ".bias" }).ToHashSet(StringComparer.Ordinal);
        var tensors = model.OfficialTensors().Where(p => keys.Contains(p.Key)).ToList();
        using var noGrad = no_grad();
        if (_vrc.TryGetValue(key, out var cached))
        {
            foreach (var (name, t) in tensors) t.copy_(cached.Tensors[name]);
            return cached.Reports;
        }
        var reports = compute();
        _vrc[key] = (tensors.ToDictionary(p => p.Key, p => p.Tensor.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal), reports);
        return reports;
    }

    public void Dispose()
    {
        foreach (var (tensors, _) in _vrc.Values)
            foreach (var t in tensors.Values) t.Dispose();
        _vrc.Clear();
    }
}
