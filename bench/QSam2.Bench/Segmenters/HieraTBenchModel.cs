using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Model;
using QSam2.Spec.Quant;
using QSam2.Training.Modeling;
using TorchSharp;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// The one model every generated-segmenter benchmark runs, built once per process: <c>sam2.1_hiera_t</c> with the
/// TorchSharp baseline's random weights (<c>torch.manual_seed(0)</c>, default init, exactly as
/// <see cref="ImageEncoderBenchmarks"/>), its state dict for the FP32 segmenter, activation ranges calibrated by
/// running that FP32 segmenter with a layer observer on the benchmark image and three prompts, and min/max
/// <c>.qsw</c> exports (<see cref="QswExporter"/>) for each quant spec. Timings do not depend on the weight values;
/// using the baseline's weights keeps the comparison about the same computation.
/// </summary>
internal static class HieraTBenchModel
{
    public const string ArchName = "sam2.1_hiera_t";

    private static readonly Lazy<ArchSpec> s_spec = new(() => ArchSpecReader.ReadFile(BenchPaths.ArchSpec(ArchName)));
    private static readonly Lazy<StateDict> s_state = new(BuildStateDict);
    private static readonly Lazy<RgbImage> s_image = new(() => BenchImage(s_spec.Value.ImageSize));
    private static readonly Lazy<float[]> s_input = new(() => Sam2Preprocessing.ToModelInput(s_image.Value, s_spec.Value.ImageSize));
    private static readonly Lazy<Dictionary<string, (float Min, float Max)>> s_ranges = new(Calibrate);
    private static readonly Dictionary<string, byte[]> s_exports = new(StringComparer.Ordinal);

    public static ArchSpec Spec => s_spec.Value;

    /// <summary>A fresh TorchSharp model with the benchmark weights (the caller disposes it).</summary>
    public static Sam2Model NewTorchModel()
    {
        torch.manual_seed(0);
        var model = new Sam2Model(Spec);
        model.eval();
        return model;
    }

    /// <summary>The 1024×1024 benchmark image (deterministic).</summary>
    public static RgbImage Image => s_image.Value;

    /// <summary>The benchmark image preprocessed to the planar <c>[3, S, S]</c> model input.</summary>
    public static float[] Input => s_input.Value;

    /// <summary>The segmenter for <paramref name="precision"/>: Fp32, W8A8, W4A8 or W2A8.</summary>
    public static Sam2SegmenterBase Load(string precision) => precision switch
    {
        "Fp32" => HieraTFp32Segmenter.Load(WeightSource.FromStateDict(s_state.Value, ArchName + " seed 0")),
        "W8A8" => HieraTW8A8Segmenter.Load(new MemoryStream(Export("w8a8", HieraTW8A8Segmenter.QswLayout)), ArchName + ".w8a8 (min/max)"),
        "W4A8" => HieraTW4A8Segmenter.Load(new MemoryStream(Export("w4a8", HieraTW4A8Segmenter.QswLayout)), ArchName + ".w4a8 (min/max)"),
        "W2A8" => HieraTW2A8Segmenter.Load(new MemoryStream(Export("w2a8", HieraTW2A8Segmenter.QswLayout)), ArchName + ".w2a8 (min/max)"),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "expected Fp32, W8A8, W4A8 or W2A8"),
    };

    /// <summary>The box prompt every decode benchmark uses: the middle half of the image, one mask (as sam2seg bench).</summary>
    public static Sam2Prompt BoxPrompt => new()
    {
        Box = new[] { Image.Width * 0.25f, Image.Height * 0.25f, Image.Width * 0.75f, Image.Height * 0.75f },
        MultimaskOutput = false,
    };

    private static StateDict BuildStateDict()
    {
        using var model = NewTorchModel();
        return model.ExportStateDict();
    }

    /// <summary>Smooth colour gradients with a few rectangles and mild noise, so activations are not degenerate.</summary>
    private static RgbImage BenchImage(int size)
    {
        var rng = new Random(1);
        var px = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int o = (y * size + x) * 3;
                bool inBox = (x / 128 + y / 128) % 3 == 0;
                px[o] = (byte)Math.Clamp(255 * x / size + rng.Next(-8, 9), 0, 255);
                px[o + 1] = (byte)Math.Clamp((inBox ? 200 : 60) + rng.Next(-8, 9), 0, 255);
                px[o + 2] = (byte)Math.Clamp(255 * y / size + rng.Next(-8, 9), 0, 255);
            }
        }
        return new RgbImage(size, size, px);
    }

    private static Dictionary<string, (float Min, float Max)> Calibrate()
    {
        var fp32 = Load("Fp32");
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
        // A box, a multimask click, and a mask refinement reach every decoder layer, the mask downscaler included.
        var first = fp32.Predict(BoxPrompt);
        fp32.Predict(new Sam2Prompt { PointCoords = new[] { Image.Width * 0.3f, Image.Height * 0.6f }, PointLabels = new[] { 1 }, MultimaskOutput = true });
        fp32.Predict(new Sam2Prompt { PointCoords = new[] { Image.Width * 0.5f, Image.Height * 0.5f }, PointLabels = new[] { 1 }, MaskInput = first.LowResLogits });
        fp32.ObserveLayerInputs(null);
        return ranges;
    }

    private static byte[] Export(string quant, QSam2.Spec.Quant.Qsw.QswLayout layout)
    {
        lock (s_exports)
        {
            if (s_exports.TryGetValue(quant, out var done)) return done;
            var path = BenchPaths.QuantSpec(ArchName + "." + quant);
            var spec = QuantSpecReader.Read(File.ReadAllText(path), path);
            var arch = ArchExpansion.Expand(Spec);
            var resolution = QuantResolver.Resolve(spec, path, Spec.Name, ArchCanonicalText.Sha256Hex(Spec), ImagePathStructure.QuantTargets(arch));
            if (!resolution.Succeeded) throw new InvalidDataException(path + ": " + string.Join("\n", resolution.Diagnostics));
            var state = s_state.Value;
            var bytes = QswExporter.Export(layout, key => state[key].Data, resolution.Layers.ToArray(), s_ranges.Value);
            s_exports[quant] = bytes;
            return bytes;
        }
    }
}
