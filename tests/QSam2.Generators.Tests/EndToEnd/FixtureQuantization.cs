using QSam2.Generators.Tests.Infrastructure;
using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant;
using QSam2.Tests.Shared;

namespace QSam2.Generators.Tests.EndToEnd;

/// <summary>
/// Shared material for the quantized end-to-end tests: the fixture checkpoint, its prompts, per-layer input ranges
/// calibrated by running the generated FP32 segmenter with a layer observer, and min/max PTQ exports of the fixture
/// model for a quant spec (through the runtime's <see cref="QswExporter"/>).
/// </summary>
public static class FixtureQuantization
{
    public static readonly string[] CaseNames = { "case1", "case2", "case3", "case4", "case5" };

    private static readonly Lazy<StateDict> s_state = new(() => CheckpointReader.Read(ReferenceFixture.A.CheckpointPath));
    private static readonly Lazy<Dictionary<string, (float Min, float Max)>> s_ranges = new(Calibrate);

    public static StateDict State => s_state.Value;

    public static RgbImage Image
    {
        get
        {
            var fx = ReferenceFixture.A;
            var shape = fx.Shape("image.rgb");
            return new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
        }
    }

    public static ExpandedArch Arch { get; } = ArchExpansion.Expand(ArchSpecReader.ReadFile(Path.Combine(Specs.Root, "tests", "fixtures", "fixture-a.arch.json")));

    public static Sam2Prompt Prompt(string c)
    {
        var fx = ReferenceFixture.A;
        var names = fx.Names.ToHashSet();
        return new Sam2Prompt
        {
            PointCoords = names.Contains(c + ".input.point_coords") ? fx.Float(c + ".input.point_coords") : null,
            PointLabels = names.Contains(c + ".input.point_labels") ? fx.Int(c + ".input.point_labels") : null,
            Box = names.Contains(c + ".input.box") ? fx.Float(c + ".input.box") : null,
            MaskInput = names.Contains(c + ".input.mask_input") ? fx.Float(c + ".input.mask_input") : null,
            MultimaskOutput = fx.Shape(c + ".predict.iou_predictions")[0] == 3,
            ReturnLogits = true,
        };
    }

    public static QuantResolution Resolve(string quantFile)
    {
        var path = Specs.TestSpecPath(quantFile);
        var spec = QuantSpecReader.Read(File.ReadAllText(path), path);
        var resolution = QuantResolver.Resolve(spec, path, Arch.Spec.Name, ArchCanonicalText.Sha256Hex(Arch.Spec), ImagePathStructure.QuantTargets(Arch));
        Assert.True(resolution.Succeeded, string.Join("\n", resolution.Diagnostics));
        return resolution;
    }

    /// <summary>A min/max export for <paramref name="layout"/>; <paramref name="widen"/> scales the calibrated ranges (another calibration).</summary>
    public static byte[] Export(QSam2.Spec.Quant.Qsw.QswLayout layout, QuantResolution resolution, float widen = 1f)
    {
        var ranges = s_ranges.Value.ToDictionary(p => p.Key, p => (p.Value.Min * widen, p.Value.Max * widen));
        return QswExporter.Export(layout, key => State[key].Data, resolution.Layers.ToArray(), ranges);
    }

    /// <summary>Activation bits of every quantized layer (what a float simulation of the export needs).</summary>
    public static Dictionary<string, int> ActivationBits(QuantResolution resolution) =>
        resolution.Layers.Where(l => !l.Quant.KeepFloat).ToDictionary(l => l.Target.Name, l => l.Quant.ActivationBits);

    private static Dictionary<string, (float Min, float Max)> Calibrate()
    {
        var fp32 = FixtureASegmenter.Load(WeightSource.FromStateDict(State, ReferenceFixture.A.CheckpointPath));
        var ranges = new Dictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
        fp32.ObserveLayerInputs((layer, input) =>
        {
            float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
            foreach (var v in input)
            {
                lo = MathF.Min(lo, v);
                hi = MathF.Max(hi, v);
            }
            ranges[layer.Name] = ranges.TryGetValue(layer.Name, out var r) ? (MathF.Min(r.Min, lo), MathF.Max(r.Max, hi)) : (lo, hi);
        });
        fp32.SetImage(Image);
        foreach (var c in CaseNames) fp32.Predict(Prompt(c));
        fp32.ObserveLayerInputs(null);
        return ranges;
    }
}
