using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;

namespace QSam2.Training.Quantization.Export;

/// <summary>One quantized layer as exported: its canonical codes and scales, input quantization and clip values.</summary>
public sealed record ExportedLayer(string Name, ResolvedLayerQuant Quant, QuantizedWeights Weights, ActivationQuantParams Input, float[] Clip,
    string WeightQuantizer, string ActivationQuantizer)
{
    /// <summary>The float range the input codes cover: <c>[(0 − z)·s, (QMax − z)·s]</c>.</summary>
    public (float Lo, float Hi) InputRange => ((0 - Input.ZeroPoint) * Input.Scale, (Input.QMax - Input.ZeroPoint) * Input.Scale);
}
