using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Simulation;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Vrc;

/// <summary>The chosen calibration images and the condition number of their accumulated Gram matrix after each pick.</summary>
public sealed record SelectedImages(IReadOnlyList<int> Indices, IReadOnlyList<double> ConditionNumbers, string Layer);

/// <summary>
/// Chooses calibration images by condition number (docs/qsam2-method.md §2.1: "diverse and well conditioned";
/// how the paper applies the criterion is not known). Our rule: per candidate image, the Gram matrix of the input to
/// one encoder Linear (default: the first); then greedily add the image that makes the accumulated Gram matrix best
/// conditioned (smallest λ_max/λ_min), starting from the best-conditioned single image.
/// </summary>
public static class CalibrationImageSelector
{
    public static SelectedImages ByConditionNumber(Sam2Model model, string layer, CalibrationImages candidates, int count, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(candidates);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one calibration image is needed");
        count = Math.Min(count, candidates.Count);
        var module = LayerModules.WeightLayer(LayerModules.ByName(model), layer);
        long dim = LayerModules.Weight(module).shape[1];
        var grams = new List<Tensor>();
        GramAccumulator? current = null;
        // Only this layer's input is needed: the hook stops the forward pass right after recording it.
        var hook = module.register_forward_pre_hook((_, x) =>
        {
            current!.Add(x);
            throw new StopForward();
        });
        try
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                current = new GramAccumulator(dim);
                try
                {
                    ImageRunner.Run(model, candidates.Input(i), withDecoder: false);
                }
                catch (StopForward)
                {
                    // Expected: the forward pass ends at the selection layer.
                }
                grams.Add(current.Gram.clone().DetachFromDisposeScope());
                current.Dispose();
                progress?.Invoke(i + 1, candidates.Count);
            }
        }
        finally
        {
            hook.remove();
        }

        var chosen = new List<int>();
        var conditions = new List<double>();
        var remaining = Enumerable.Range(0, grams.Count).ToList();
        Tensor sum = zeros(new[] { dim, dim }, dtype: ScalarType.Float64);
        while (chosen.Count < count)
        {
            int best = -1;
            double bestCondition = double.PositiveInfinity;
            foreach (var i in remaining)
            {
                using var candidate = sum + grams[i];
                double c = Condition(candidate);
                if (c < bestCondition || best < 0)
                {
                    bestCondition = c;
                    best = i;
                }
            }
            chosen.Add(best);
            conditions.Add(bestCondition);
            remaining.Remove(best);
            var next = sum + grams[best];
            sum.Dispose();
            sum = next;
        }
        sum.Dispose();
        foreach (var g in grams) g.Dispose();
        return new SelectedImages(chosen, conditions, layer);
    }

    /// <summary>
    /// λ_max / λ_min of a symmetric PSD matrix over its numerically non-zero eigenvalues (above d·ε·λ_max, pinv's
    /// tolerance): a LayerNorm output has an exact structural null direction that would make every image look
    /// equally singular. Infinity for a zero matrix.
    /// </summary>
    public static double Condition(Tensor gram)
    {
        using var scope = NewDisposeScope();
        var ev = linalg.eigvalsh((gram + gram.t()) * 0.5);
        double max = ev.max().item<double>();
        if (max <= 0) return double.PositiveInfinity;
        var kept = ev.masked_select(ev.gt(gram.shape[0] * 2.220446049250313e-16 * max));
        return max / kept.min().item<double>();
    }

    /// <summary>Thrown by the selection hook to end a forward pass early; never escapes the selector.</summary>
    private sealed class StopForward : Exception
    {
    }
}
