using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Writes a <c>.qsw</c> for a layout by min/max post-training quantization: float tensors copied, each quantized
/// layer's weight quantized symmetrically with the kernels' own <see cref="WeightQuantizer"/> (absmax per channel,
/// per group, or per tensor; a transposed conv per output channel on axis 1), and its input quantization taken from a
/// calibrated [min, max] range (<see cref="ActivationQuantParams.FromRange"/>). The training side exports QAT results
/// through <see cref="QswWriter"/> directly; this exporter is the no-TorchSharp baseline and what tests use.
/// </summary>
public static class QswExporter
{
    /// <param name="layout">The segmenter's expected directory (e.g. <c>ImagePathStructure.Layout</c> or a generated <c>QswLayout</c>).</param>
    /// <param name="floatTensor">Float weights by official key (a checkpoint's state dict).</param>
    /// <param name="layers">Resolved quantization of every weight layer (float layers are copied as float).</param>
    /// <param name="inputRanges">Calibrated input range of every quantized layer.</param>
    public static byte[] Export(QswLayout layout, Func<string, float[]> floatTensor, IReadOnlyList<ResolvedLayer> layers,
        IReadOnlyDictionary<string, (float Min, float Max)> inputRanges)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(floatTensor);
        var quantized = layers.Where(l => !l.Quant.KeepFloat).ToDictionary(l => l.Target.Name, StringComparer.Ordinal);
        var writer = new QswWriter(layout.StructureHash);
        var pending = new Dictionary<string, (QuantizedWeights Weights, int[] ScaleShape, sbyte[] OfficialCodes)>(StringComparer.Ordinal);
        foreach (var t in layout.Tensors)
        {
            var shape = t.Shape.ToArray();
            switch (t.Kind)
            {
                case QswTensorKind.Float:
                    writer.AddFloat32(t.Name, t.Kind, shape, floatTensor(t.Name));
                    break;
                case QswTensorKind.WeightCodes:
                {
                    var layer = Layer(t.Name, ".weight");
                    var q = Quantize(quantized[layer], floatTensor(t.Name));
                    pending[layer] = q;
                    writer.AddWeightCodes(t.Name, t.DType, shape, q.OfficialCodes);
                    break;
                }
                case QswTensorKind.WeightScales:
                {
                    var q = pending[Layer(t.Name, ".weight_scale")];
                    var scales = q.ScaleShape.Length == 1 && q.ScaleShape[0] == 1 ? new[] { q.Weights.Scales[0] } : q.Weights.Scales;
                    writer.AddFloat32(t.Name, t.Kind, shape, scales);
                    break;
                }
                case QswTensorKind.ActivationScale:
                case QswTensorKind.ActivationZeroPoint:
                {
                    var layer = Layer(t.Name, t.Kind == QswTensorKind.ActivationScale ? ".input_scale" : ".input_zero_point");
                    if (!inputRanges.TryGetValue(layer, out var range))
                        throw new ArgumentException($"no calibrated input range for quantized layer '{layer}'", nameof(inputRanges));
                    var p = ActivationQuantParams.FromRange(range.Min, range.Max, quantized[layer].Quant.ActivationBits);
                    if (t.Kind == QswTensorKind.ActivationScale) writer.AddFloat32(t.Name, t.Kind, shape, new[] { p.Scale });
                    else writer.AddInt32(t.Name, t.Kind, shape, new[] { p.ZeroPoint });
                    break;
                }
            }
        }
        return writer.ToArray();
    }

    private static string Layer(string name, string suffix) => name.Substring(0, name.Length - suffix.Length);

    private static (QuantizedWeights Weights, int[] ScaleShape, sbyte[] OfficialCodes) Quantize(ResolvedLayer layer, float[] official)
    {
        var target = layer.Target;
        var q = layer.Quant;
        var shape = target.WeightShape.ToArray();
        int axis = target.OutputAxis;
        int channels = shape[axis];
        int k = official.Length / channels;
        // Rows = output channels: [out, ...] as is; [in, out, taps] (transposed conv) regrouped per output channel.
        float[] rows = axis == 0 ? official : ToRows(official, shape);
        QuantizedWeights w;
        int[] scaleShape;
        switch (q.Granularity)
        {
            case QuantGranularity.PerTensor:
            {
                var whole = WeightQuantizer.Quantize(rows, 1, rows.Length, q.WeightBits, 0, default, target.Name);
                var perChannel = Enumerable.Repeat(whole.Scales[0], channels).ToArray();
                w = QuantizedWeights.Create(whole.Codes, perChannel, channels, k, q.WeightBits, 0, target.Name);
                scaleShape = new[] { 1 };
                break;
            }
            case QuantGranularity.PerGroup:
                w = WeightQuantizer.Quantize(rows, channels, k, q.WeightBits, q.GroupSize, default, target.Name);
                scaleShape = new[] { channels, k / q.GroupSize };
                break;
            default:
                w = WeightQuantizer.Quantize(rows, channels, k, q.WeightBits, 0, default, target.Name);
                scaleShape = new[] { channels };
                break;
        }
        var codes = axis == 0 ? w.Codes : FromRows(w.Codes, shape);
        return (w, scaleShape, codes);
    }

    /// <summary>[in, out, taps] → [out, in·taps].</summary>
    private static T[] ToRows<T>(T[] w, int[] shape)
    {
        int cin = shape[0], cout = shape[1], taps = w.Length / (cin * cout);
        var r = new T[w.Length];
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < taps; t++)
                    r[(o * cin + c) * taps + t] = w[(c * cout + o) * taps + t];
        return r;
    }

    /// <summary>[out, in·taps] → [in, out, taps].</summary>
    private static T[] FromRows<T>(T[] r, int[] shape)
    {
        int cin = shape[0], cout = shape[1], taps = r.Length / (cin * cout);
        var w = new T[r.Length];
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < taps; t++)
                    w[(c * cout + o) * taps + t] = r[(o * cin + c) * taps + t];
        return w;
    }
}
