using QSam2.Runtime.Imaging;
using QSam2.Runtime.Kernels.Quant;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Gpu.Tests.EndToEnd;

/// <summary>
/// A quantized <c>.qsw</c> made the way PTQ makes one, from a synthetic FP32 model: run the FP32 segmenter (CPU path) on
/// the calibration image and prompts while observing every layer's float input, take min/max ranges for the static
/// activation quantization (<see cref="ActivationQuantParams.FromRange"/>), and quantize the same float weights with
/// max-abs scales (docs/quantization.md §2). The result behaves like a calibrated model: quantization noise is small
/// against the signal, so float-order differences between backends stay small instead of being amplified by
/// badly-ranged codes.
/// </summary>
internal static class CalibratedQsw
{
    /// <param name="weightBits">Weight bits of a quantized layer (the generated layout carries shapes, not bits).</param>
    public static byte[] Create(QswLayout quantLayout, QswLayout floatLayout, Func<string, Sam2SegmenterBase> loadFloat,
        RgbImage image, IEnumerable<Sam2Prompt> prompts, Func<string, int> weightBits, int seed)
    {
        var floatBytes = SyntheticQsw.Create(floatLayout, seed);
        var ranges = Observe(floatBytes, loadFloat, image, prompts);
        using var stream = new MemoryStream(floatBytes);
        var source = WeightSource.FromQsw(stream, "synthetic fp32", floatLayout);

        var writer = new QswWriter(quantLayout.StructureHash);
        foreach (var t in quantLayout.Tensors)
        {
            var shape = t.Shape.ToArray();
            switch (t.Kind)
            {
                case QswTensorKind.WeightCodes:
                {
                    var (codes, _) = Quantize(quantLayout, t, source.Float(t.Name, shape), weightBits);
                    writer.AddWeightCodes(t.Name, t.DType, shape, codes);
                    break;
                }
                case QswTensorKind.WeightScales:
                {
                    var weight = quantLayout.Tensors.First(x => x.Name == t.Name[..^"_scale".Length]);
                    var (_, scales) = Quantize(quantLayout, weight, source.Float(weight.Name, weight.Shape.ToArray()), weightBits);
                    writer.AddFloat32(t.Name, t.Kind, shape, scales);
                    break;
                }
                case QswTensorKind.ActivationScale:
                    writer.AddFloat32(t.Name, t.Kind, shape, new[] { Activation(ranges, t.Name[..^".input_scale".Length]).Scale });
                    break;
                case QswTensorKind.ActivationZeroPoint:
                    writer.AddInt32(t.Name, t.Kind, shape, new[] { Activation(ranges, t.Name[..^".input_zero_point".Length]).ZeroPoint });
                    break;
                default:
                    writer.AddFloat32(t.Name, t.Kind, shape, source.Float(t.Name, shape));
                    break;
            }
        }
        return writer.ToArray();
    }

    private static Dictionary<string, (float Min, float Max)> Observe(byte[] floatBytes, Func<string, Sam2SegmenterBase> loadFloat,
        RgbImage image, IEnumerable<Sam2Prompt> prompts)
    {
        var path = Path.Combine(Path.GetTempPath(), $"qsam2-gpu-calibration-{Environment.ProcessId}-{Guid.NewGuid():N}.qsw");
        File.WriteAllBytes(path, floatBytes);
        try
        {
            var model = loadFloat(path);
            var ranges = new Dictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
            model.ObserveLayerInputs((layer, x) =>
            {
                var (lo, hi) = ranges.TryGetValue(layer.Name, out var r) ? r : (float.PositiveInfinity, float.NegativeInfinity);
                foreach (var v in x)
                {
                    lo = MathF.Min(lo, v);
                    hi = MathF.Max(hi, v);
                }
                ranges[layer.Name] = (lo, hi);
            });
            model.SetImage(image);
            foreach (var p in prompts) model.Predict(p);
            return ranges;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>8-bit activations over the observed range (layers never reached, e.g. mask-input ones, get [−1, 1]).</summary>
    private static ActivationQuantParams Activation(Dictionary<string, (float Min, float Max)> ranges, string layer) =>
        ranges.TryGetValue(layer, out var r) ? ActivationQuantParams.FromRange(r.Min, r.Max, 8) : ActivationQuantParams.FromRange(-1f, 1f, 8);

    /// <summary>
    /// Max-abs weight quantization. Granularity comes from the layout's scale tensor ([N] per channel, [N, G] per group,
    /// [1] per tensor); output channels are axis 0, or axis 1 for SAM2's transposed convolutions (<c>output_upscaling</c>).
    /// </summary>
    private static (sbyte[] Codes, float[] Scales) Quantize(QswLayout layout, QswTensorInfo weight, float[] w, Func<string, int> weightBits)
    {
        string layer = weight.Name[..^".weight".Length];
        int bits = weightBits(layer);
        var scaleShape = layout.Tensors.First(x => x.Name == weight.Name + "_scale").Shape.ToArray();
        var shape = weight.Shape.ToArray();
        bool transposed = layer.Contains("output_upscaling", StringComparison.Ordinal) && shape.Length == 4;
        int outAxis = transposed ? 1 : 0, outs = shape[outAxis], k = w.Length / outs;
        bool perTensor = scaleShape.Length == 1 && scaleShape[0] == 1 && outs != 1;
        int group = scaleShape.Length == 2 ? k / scaleShape[1] : k;

        // Element index of (output channel o, reduction index j) in the file layout.
        int inner = transposed ? shape[2] * shape[3] : 0;
        int Index(int o, int j) => transposed ? ((j / inner) * outs + o) * inner + j % inner : o * k + j;

        int groups = k / group, qmin = WeightQuantizer.QMin(bits), qmax = WeightQuantizer.QMax(bits);
        var codes = new sbyte[w.Length];
        var scales = new float[perTensor ? 1 : outs * groups];
        float tensorMax = perTensor ? w.Max(MathF.Abs) : 0f;
        for (int o = 0; o < outs; o++)
            for (int g = 0; g < groups; g++)
            {
                float a = tensorMax;
                if (!perTensor)
                    for (int j = g * group; j < (g + 1) * group; j++) a = MathF.Max(a, MathF.Abs(w[Index(o, j)]));
                float scale = a > 0f ? a / qmax : 1f;
                if (perTensor) scales[0] = scale;
                else scales[o * groups + g] = scale;
                for (int j = g * group; j < (g + 1) * group; j++) codes[Index(o, j)] = WeightQuantizer.QuantizeOne(w[Index(o, j)], scale, qmin, qmax);
            }
        return (codes, scales);
    }
}
