using QSam2.Runtime.Kernels.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Recipes;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Puts quantizers on every layer of a simulator from calibration statistics: fixed post-training ones (PTQ), or the
/// trainable QAT ones (MinMax baseline or LSC), initialised from the same statistics.
/// </summary>
public static class QuantizerSetup
{
    /// <summary>PTQ: weight clips from <see cref="WeightClipCalibrator"/>, input ranges from <see cref="ActivationRangeCalibrator"/>.</summary>
    public static void Ptq(QuantSimulator sim, IReadOnlyDictionary<string, ActivationStatistics> inputs, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var layer in sim.Layers)
        {
            var canonical = layer.Slicing.CanonicalValues(layer.Weight);
            var clip = WeightClipCalibrator.Compute(canonical, layer.Slicing, layer.Quant.WeightBits, options.Weights, options.WeightPercentile);
            layer.WeightQuantizer = new FixedClipWeightQuantizer(layer.Slicing, layer.Quant.WeightBits, clip, options.Weights.Name());
            var (lo, hi) = ActivationRangeCalibrator.Range(Input(inputs, layer), layer.Quant.ActivationBits, options.Activations, options.ActivationPercentile);
            layer.ActivationQuantizer = new FixedActivationQuantizer(ActivationQuantParams.FromRange(lo, hi, layer.Quant.ActivationBits), options.Activations.Name());
        }
    }

    /// <summary>QAT: MinMax (max|w| + EMA min/max) or LSC (α from an MSE search, statistics from calibration).</summary>
    public static void Qat(QuantSimulator sim, IReadOnlyDictionary<string, ActivationStatistics> inputs, QatOptions options)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var layer in sim.Layers)
        {
            var stats = Input(inputs, layer);
            int wb = layer.Quant.WeightBits, ab = layer.Quant.ActivationBits;
            if (options.Quantizer == QatQuantizer.MinMax)
            {
                layer.WeightQuantizer = new MinMaxWeightQuantizer(layer.Slicing, wb);
                layer.ActivationQuantizer = new EmaMinMaxActivationQuantizer(ab, stats.Min, stats.Max, options.MinMaxDecay);
            }
            else
            {
                var canonical = layer.Slicing.CanonicalValues(layer.Weight);
                double wAlpha = LscInitializer.WeightAlpha(canonical, layer.Slicing, wb);
                layer.WeightQuantizer = new LscWeightQuantizer(layer.Slicing, wb, layer.Weight, wAlpha, options.Momentum);
                layer.ActivationQuantizer = new LscActivationQuantizer(ab, stats, LscInitializer.ActivationAlpha(stats, ab), options.Momentum);
            }
        }
    }

    private static ActivationStatistics Input(IReadOnlyDictionary<string, ActivationStatistics> inputs, QuantLayer layer) =>
        inputs.TryGetValue(layer.Name, out var s) ? s : throw new InvalidOperationException($"{layer.Name}: no calibration statistics for its input");
}
