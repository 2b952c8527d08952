using QSam2.Spec.Quant;
using QSam2.Training.Evaluation;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Quantization.Reporting;
using QSam2.Training.Quantization.Simulation;
using QSam2.Training.Quantization.Vrc;
using TorchSharp.Modules;

namespace QSam2.Training.Quantization.Pipeline;

public static partial class QuantizePipeline
{
    private static List<LayerReport> LayerReports(QuantSimulator sim, QuantResolution resolution, QswExport export,
        IReadOnlyDictionary<string, ActivationStatistics> inputs, IReadOnlyList<VrcLayerReport> vrc)
    {
        var exported = export.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var vrcByName = vrc.ToDictionary(v => v.Layer, StringComparer.Ordinal);
        var modules = LayerModules.ByName(sim.Model);
        var list = new List<LayerReport>();
        foreach (var resolved in resolution.Layers)
        {
            var name = resolved.Target.Name;
            var module = modules[name];
            var report = new LayerReport
            {
                Name = name,
                Kind = module is Linear ? "Linear" : module is ConvTranspose2d ? "ConvTranspose2d" : "Conv2d",
                WeightShape = resolved.Target.WeightShape.ToArray(),
                Quantization = resolved.Quant.Describe(),
                KeepFloat = resolved.Quant.KeepFloat,
                Vrc = vrcByName.GetValueOrDefault(name),
            };
            if (!resolved.Quant.KeepFloat)
            {
                var layer = sim[name];
                var e = exported[name];
                var (lo, hi) = e.InputRange;
                report = report with
                {
                    WeightBits = resolved.Quant.WeightBits,
                    ActivationBits = resolved.Quant.ActivationBits,
                    WeightQuantizer = e.WeightQuantizer,
                    ActivationQuantizer = e.ActivationQuantizer,
                    WeightSqnrDb = LayerMetrics.WeightSqnrDb(layer.Slicing.CanonicalValues(layer.Weight), e.Weights),
                    ActivationSqnrDb = inputs.TryGetValue(name, out var stats) ? LayerMetrics.ActivationSqnrDb(stats.Sample, e.Input) : double.NaN,
                    InputScale = e.Input.Scale,
                    InputZeroPoint = e.Input.ZeroPoint,
                    InputLo = lo,
                    InputHi = hi,
                    ClipMin = e.Clip.Min(),
                    ClipMax = e.Clip.Max(),
                };
            }
            list.Add(report);
        }
        return list;
    }

    /// <summary>
    /// Single-layer sensitivity: the model with every layer float (after VRC/QAT) against the same model with only one
    /// layer quantized, for the <paramref name="count"/> layers with the lowest SQNR (min of weight and input SQNR).
    /// </summary>
    private static (List<LayerReport> Layers, string Protocol) Sensitivity(QuantSimulator sim, MaskEvaluation evaluation, List<LayerReport> layers, int count,
        Action<string> log)
    {
        if (count <= 0) return (layers, "not measured (--sensitivity-layers 0)");
        var candidates = layers.Where(l => !l.KeepFloat)
            .OrderBy(l => Math.Min(Finite(l.WeightSqnrDb), Finite(l.ActivationSqnrDb)))
            .Take(count)
            .Select(l => l.Name)
            .ToList();
        sim.SetMode(LayerMode.Float);
        double baseline = evaluation.MIouPoints(sim.Model);
        var drops = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            foreach (var name in candidates)
            {
                sim[name].Mode = LayerMode.Quantize;
                double miou = evaluation.MIouPoints(sim.Model);
                sim[name].Mode = LayerMode.Float;
                drops[name] = baseline - miou;
                log($"sensitivity {name}: {baseline - miou:0.00} mIoU points");
            }
        }
        finally
        {
            sim.SetMode(LayerMode.Quantize);
        }
        var protocol = $"mIoU ({evaluation.Prompt.Name()} prompts vs {evaluation.ReferenceName}, {evaluation.ImageCount} images) of the model with every layer float " +
            $"({baseline:0.00}) minus the mIoU with only the given layer quantized; measured for the {candidates.Count} layers with the lowest SQNR";
        return (layers.Select(l => drops.TryGetValue(l.Name, out var d) ? l with { SensitivityMIouDrop = d } : l).ToList(), protocol);
    }

    private static double Finite(double db) => double.IsNaN(db) ? double.PositiveInfinity : db;
}
