using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Reads a quantized <c>.qsw</c> into a FP32 segmenter as a float simulation of it ("fake quantization"): quantized
/// weights arrive as their dequantized codes and each quantized layer's input is fake-quantized with the exported
/// scale and zero point. The activation bit-widths are structural (quant spec), so the caller supplies them.
/// Comparing a quantized segmenter with this simulation checks the integer path against the float definition.
/// </summary>
public sealed class FakeQuantWeightSource : WeightSource
{
    private readonly QswFile _file;
    private readonly QswWeightSource _inner;
    private readonly IReadOnlyDictionary<string, int> _activationBits;

    public FakeQuantWeightSource(QswFile file, IReadOnlyDictionary<string, int> activationBits)
        : base(file.Source)
    {
        _file = file ?? throw new ArgumentNullException(nameof(file));
        _inner = new QswWeightSource(file);
        _activationBits = activationBits ?? throw new ArgumentNullException(nameof(activationBits));
    }

    public override float[] Float(string key, int[] shape) => _inner.Float(key, shape);

    public override bool IsQuantized(string layer) => _inner.IsQuantized(layer);

    public override QuantizedTensor Quantized(string layer, int[] shape) => _inner.Quantized(layer, shape);

    public override ActivationQuantParams Activation(string layer, int bits) => _inner.Activation(layer, bits);

    public override ActivationQuantParams? SimulatedInputQuant(string layer)
    {
        if (!_inner.IsQuantized(layer)) return null;
        if (!_activationBits.TryGetValue(layer, out int bits))
            throw new QswFormatException(_file.Source, layer, "quantized in the export but no activation bit-width was given for the simulation");
        return _inner.Activation(layer, bits);
    }
}
