using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Decides the clip values of one layer's weight and fake-quantizes it (docs/quantization.md, weights). The clip
/// values are what the export hands to <c>WeightQuantizer.Quantize</c>, so simulation and export agree by construction.
/// </summary>
public interface IWeightFakeQuantizer
{
    /// <summary>Short name for reports, e.g. <c>minmax</c>, <c>mse</c>, <c>lsc</c>.</summary>
    string Kind { get; }

    /// <summary>The fake-quantized weight in the official layout (differentiable where the quantizer learns).</summary>
    Tensor Quantize(Tensor weight, bool training);

    /// <summary>The clip value of every scale slice (<see cref="Numerics.WeightSlicing.ClipCount"/> values), for export.</summary>
    float[] ClipValues(Tensor weight);

    /// <summary>Parameters the quantizer learns (empty for fixed ones).</summary>
    IReadOnlyList<Parameter> LearnedParameters { get; }

    /// <summary>Non-learned state that must survive a resume (running statistics), by name.</summary>
    IReadOnlyDictionary<string, Tensor> State { get; }
}
