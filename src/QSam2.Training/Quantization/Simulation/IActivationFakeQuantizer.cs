using QSam2.Runtime.Kernels.Quant;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Fake-quantizes the activation entering one layer: static asymmetric per tensor (docs/quantization.md,
/// activations). In training mode a quantizer may update running statistics and learn its clip range.
/// </summary>
public interface IActivationFakeQuantizer
{
    string Kind { get; }

    Tensor Quantize(Tensor x, bool training);

    /// <summary>The scale and zero point the export writes (and a generated segmenter uses).</summary>
    ActivationQuantParams Export();

    IReadOnlyList<Parameter> LearnedParameters { get; }

    IReadOnlyDictionary<string, Tensor> State { get; }
}
