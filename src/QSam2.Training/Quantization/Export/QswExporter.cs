using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Simulation;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Export;

/// <summary>The bytes of an exported <c>.qsw</c>, its layout and what each quantized layer became.</summary>
public sealed record QswExport(byte[] Bytes, QswLayout Layout, IReadOnlyList<ExportedLayer> Layers);

/// <summary>
/// Writes a simulated quantization as a <c>.qsw</c> (layout from <see cref="ImagePathStructure.Layout"/>): float tensors
/// from the model under their official keys, and for each quantized layer the weight codes and scales computed by the
/// kernels' own <see cref="WeightQuantizer"/> from the simulator's clip values, plus the input scale and zero point.
/// The simulation uses the same clip values and formulas, so dequantized codes equal the simulated weights exactly.
/// </summary>
public static class QswExporter
{
    public static QswExport Export(Sam2Model model, QuantSimulator sim, ExpandedArch arch, string description)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(arch);
        var layout = ImagePathStructure.Layout(arch, sim.Resolution, description);
        var tensors = model.OfficialTensors().ToDictionary(p => p.Key, p => p.Tensor, StringComparer.Ordinal);
        var exported = new Dictionary<string, ExportedLayer>(StringComparer.Ordinal);
        foreach (var layer in sim.Layers) exported[layer.Name] = ExportLayer(layer);

        var writer = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors)
        {
            var shape = t.Shape.ToArray();
            switch (t.Kind)
            {
                case QswTensorKind.Float:
                    writer.AddFloat32(t.Name, t.Kind, shape, Values(tensors, t.Name, t.ElementCount));
                    break;
                case QswTensorKind.WeightCodes:
                {
                    var e = Layer(exported, t.Name, ".weight");
                    writer.AddWeightCodes(t.Name, t.DType, shape, sim[e.Name].Slicing.ToOfficialOrder(e.Weights.Codes));
                    break;
                }
                case QswTensorKind.WeightScales:
                {
                    var e = Layer(exported, t.Name, ".weight_scale");
                    var scales = e.Quant.Granularity == QuantGranularity.PerTensor ? new[] { e.Weights.Scales[0] } : e.Weights.Scales;
                    writer.AddFloat32(t.Name, t.Kind, shape, scales);
                    break;
                }
                case QswTensorKind.ActivationScale:
                    writer.AddFloat32(t.Name, t.Kind, shape, new[] { Layer(exported, t.Name, ".input_scale").Input.Scale });
                    break;
                case QswTensorKind.ActivationZeroPoint:
                    writer.AddInt32(t.Name, t.Kind, shape, new[] { Layer(exported, t.Name, ".input_zero_point").Input.ZeroPoint });
                    break;
                default:
                    throw new InvalidOperationException($"{t.Name}: unknown tensor kind {t.Kind}");
            }
        }
        return new QswExport(writer.ToArray(), layout, sim.Layers.Select(l => exported[l.Name]).ToList());
    }

    /// <summary>Codes, scales and input parameters of one layer, exactly as the simulation quantizes it.</summary>
    public static ExportedLayer ExportLayer(QuantLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var wq = layer.WeightQuantizer ?? throw new InvalidOperationException($"{layer.Name}: no weight quantizer (calibrate first)");
        var aq = layer.ActivationQuantizer ?? throw new InvalidOperationException($"{layer.Name}: no activation quantizer (calibrate first)");
        var s = layer.Slicing;
        var clip = wq.ClipValues(layer.Weight);
        int qmax = WeightQuantizer.QMax(layer.Quant.WeightBits);
        // One clip per scale slice; a per-tensor clip is repeated per channel (equal scales). A zero clip (all-zero
        // slice) means scale 1 in the simulation; the quantizer takes that as clip = QMax.
        var perSlice = new float[s.Channels * s.Groups];
        for (int i = 0; i < perSlice.Length; i++)
        {
            float c = clip.Length == 1 ? clip[0] : clip[i];
            perSlice[i] = c > 0 ? c : qmax;
        }
        var weights = WeightQuantizer.Quantize(s.CanonicalValues(layer.Weight), s.Channels, s.K, layer.Quant.WeightBits,
            layer.Quant.Granularity == QuantGranularity.PerGroup ? s.GroupSize : 0, perSlice, layer.Name);
        var input = aq.Export();
        input.Validate(layer.Name + " input");
        return new ExportedLayer(layer.Name, layer.Quant, weights, input, clip, wq.Kind, aq.Kind);
    }

    private static ExportedLayer Layer(Dictionary<string, ExportedLayer> exported, string tensorName, string suffix)
    {
        var name = tensorName.Substring(0, tensorName.Length - suffix.Length);
        return exported.TryGetValue(name, out var e) ? e : throw new InvalidOperationException($"{tensorName}: layer {name} is not quantized in the simulation");
    }

    private static float[] Values(Dictionary<string, Tensor> tensors, string key, long count)
    {
        if (!tensors.TryGetValue(key, out var t)) throw new InvalidOperationException($"the model has no tensor '{key}' required by the .qsw layout");
        using var host = t.detach().to_type(ScalarType.Float32).cpu().contiguous();
        var data = host.data<float>().ToArray();
        if (data.Length != count) throw new InvalidOperationException($"{key}: {data.Length} values, layout expects {count}");
        return data;
    }
}
