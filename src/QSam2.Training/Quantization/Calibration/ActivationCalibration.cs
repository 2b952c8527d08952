using QSam2.Training.Quantization.Simulation;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Observes the input of every quantized layer over the calibration images (all layers float, one pass), giving
/// each layer's <see cref="ActivationStatistics"/>. The simulator is left in <see cref="LayerMode.Float"/>.
/// </summary>
public static class ActivationCalibration
{
    public static IReadOnlyDictionary<string, ActivationStatistics> Observe(QuantSimulator sim, CalibrationImages images, IReadOnlyList<int> indices,
        int seed, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(indices);
        var observers = new Dictionary<string, ActivationObserver>(StringComparer.Ordinal);
        for (int i = 0; i < sim.Layers.Count; i++)
        {
            var layer = sim.Layers[i];
            var observer = new ActivationObserver(unchecked((seed * 7919) + i));
            observers[layer.Name] = observer;
            layer.Observer = (_, x) => observer.Observe(x);
        }
        try
        {
            sim.SetMode(LayerMode.Observe);
            for (int i = 0; i < indices.Count; i++)
            {
                ImageRunner.Run(sim.Model, images.Input(indices[i]));
                progress?.Invoke(i + 1, indices.Count);
            }
        }
        finally
        {
            sim.SetMode(LayerMode.Float);
            foreach (var layer in sim.Layers) layer.Observer = null;
        }
        return observers.ToDictionary(p => p.Key, p => p.Value.Finish(p.Key), StringComparer.Ordinal);
    }
}
