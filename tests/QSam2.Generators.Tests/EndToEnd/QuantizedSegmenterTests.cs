using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;
using Xunit.Abstractions;

namespace QSam2.Generators.Tests.EndToEnd;

/// <summary>
/// The generated W8A8 segmenter, loaded from a min/max export of the fixture model, against the float simulation of
/// the same <c>.qsw</c> (the generated FP32 segmenter reading it through <see cref="FakeQuantWeightSource"/>: dequantized
/// weights, fake-quantized layer inputs). The integer path must reproduce the simulation: masks IoU ≥ 0.99.
/// Also: the segmenter loads any export of its structure and refuses others with a clear message.
/// </summary>
public class QuantizedSegmenterTests
{
    private readonly ITestOutputHelper _output;

    public QuantizedSegmenterTests(ITestOutputHelper output) => _output = output;

    private static readonly Lazy<QuantResolution> s_resolution = new(() => FixtureQuantization.Resolve("fixture-a.w8a8.quant.json"));
    private static readonly Lazy<byte[]> s_export = new(() => FixtureQuantization.Export(FixtureAW8A8Segmenter.QswLayout, s_resolution.Value));

    private static string WriteTemp(byte[] bytes, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "qsam2-gen-tests-" + Environment.ProcessId + "-" + name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static double Iou(byte[] a, byte[] b, int offset, int count)
    {
        int inter = 0, union = 0;
        for (int i = offset; i < offset + count; i++)
        {
            if (a[i] != 0 && b[i] != 0) inter++;
            if (a[i] != 0 || b[i] != 0) union++;
        }
        return union == 0 ? 1.0 : (double)inter / union;
    }

    /// <summary>
    /// End to end against the float simulation. The two paths differ only in float rounding order, but a one-ulp
    /// difference can move an activation across a rounding boundary and the flipped code then propagates through
    /// every later block; on this random-weight model (steep, noisy logits) that costs up to a few percent of mask
    /// area, so the bound is IoU ≥ 0.97 per mask and ≥ 0.985 on average. Layer by layer the integer path is exact
    /// (<see cref="EveryQuantizedLayer_MatchesTheExactIntegerReference"/>).
    /// </summary>
    [Fact]
    public void EndToEnd_AgreesWithTheFloatSimulationOfTheSameExport()
    {
        var path = WriteTemp(s_export.Value, "w8a8.qsw");
        var quantized = FixtureAW8A8Segmenter.Load(path);
        var simulation = FixtureASegmenter.Load(new FakeQuantWeightSource(QswReader.Read(s_export.Value, "w8a8.qsw"), FixtureQuantization.ActivationBits(s_resolution.Value)));
        Assert.Contains(quantized.Layers, l => l.Quantized);
        Assert.All(simulation.Layers, l => Assert.False(l.Quantized));
        Assert.Contains(simulation.Layers, l => l.SimulatedInputQuant != null);

        quantized.SetImage(FixtureQuantization.Image);
        simulation.SetImage(FixtureQuantization.Image);
        var qe = quantized.GetImageEmbedding();
        var se = simulation.GetImageEmbedding();
        double embedErr = qe.Zip(se, (x, y) => Math.Abs(x - y)).Max() / se.Max(v => Math.Abs(v));
        _output.WriteLine($"image embedding: max |quantized − simulation| / max |simulation| = {embedErr:G3}");
        Assert.True(embedErr < 0.02, $"image embedding relative error {embedErr}");

        double worst = 1, worstIouPred = 0, sum = 0;
        int masks = 0;
        foreach (var c in FixtureQuantization.CaseNames)
        {
            var q = quantized.Predict(FixtureQuantization.Prompt(c));
            var s = simulation.Predict(FixtureQuantization.Prompt(c));
            Assert.Equal(s.Count, q.Count);
            int plane = q.Height * q.Width;
            for (int m = 0; m < q.Count; m++)
            {
                double iou = Iou(q.Masks, s.Masks, m * plane, plane);
                _output.WriteLine($"{c} mask {m}: IoU(quantized, simulation) = {iou:F4}, IoU pred {q.IouPredictions[m]:F4} vs {s.IouPredictions[m]:F4}");
                worst = Math.Min(worst, iou);
                sum += iou;
                masks++;
                worstIouPred = Math.Max(worstIouPred, Math.Abs(q.IouPredictions[m] - s.IouPredictions[m]));
            }
        }
        _output.WriteLine($"mask IoU: worst {worst:F4}, mean {sum / masks:F4}");
        Assert.True(worst >= 0.97, $"worst mask IoU {worst}");
        Assert.True(sum / masks >= 0.985, $"mean mask IoU {sum / masks}");
        Assert.True(worstIouPred < 0.02, $"worst IoU-prediction difference {worstIouPred}");
        File.Delete(path);
    }

    /// <summary>
    /// Every quantized layer of the generated segmenter, on the float inputs it actually received while segmenting the
    /// fixture, against the exact integer definition computed here from the <c>.qsw</c>'s canonical codes:
    /// <c>acc = Σ (q_a − zp)·q_w</c> in int64, <c>F = fma(acc, s_w, F)</c> over groups in order, <c>y = fma(F, s_a, bias)</c>.
    /// The kernels promise bit-identical results, so the outputs must be equal (the accumulators are equal).
    /// </summary>
    [Fact]
    public void EveryQuantizedLayer_MatchesTheExactIntegerReference()
    {
        var file = QswReader.Read(s_export.Value, "w8a8.qsw");
        var quantized = FixtureAW8A8Segmenter.Load(new MemoryStream(s_export.Value), "w8a8.qsw");
        var inputs = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        quantized.ObserveLayerInputs((layer, x) =>
        {
            if (!inputs.TryGetValue(layer.Name, out var list)) inputs[layer.Name] = list = new List<float[]>();
            if (list.Count < 2) list.Add(x.ToArray());
        });
        quantized.SetImage(FixtureQuantization.Image);
        foreach (var c in FixtureQuantization.CaseNames) quantized.Predict(FixtureQuantization.Prompt(c));

        int checkedLayers = 0;
        foreach (var layer in quantized.Layers.Where(l => l.Quantized && inputs.ContainsKey(l.Name)))
        {
            var shape = file.Info(layer.Name + ".weight").Shape.ToArray();
            var (codes, scales, groups, bias) = GemmView(file, layer.Name, shape, layer.N, layer.Layout == WeightLayout.ConvTranspose);
            foreach (var x in inputs[layer.Name])
            {
                int m = x.Length / layer.K;
                var q = new byte[x.Length];
                for (int i = 0; i < x.Length; i++) q[i] = layer.InputQuant.Quantize(x[i]);
                var actual = new float[m * layer.N];
                var scratch = new byte[QSam2.Runtime.Kernels.Quant.QuantGemm.ScratchBytes(layer.Panels!, m)];
                layer.Kernel!(q, layer.K, m, layer.InputQuant, layer.Panels!, new QSam2.Runtime.Kernels.GemmEpilogue { Bias = layer.Bias },
                    QSam2.Runtime.Kernels.GemmOutput.Float(actual, layer.N), scratch);
                int g = layer.K / groups;
                for (int r = 0; r < m; r++)
                {
                    for (int n = 0; n < layer.N; n++)
                    {
                        float f = 0f;
                        for (int gi = 0; gi < groups; gi++)
                        {
                            long acc = 0;
                            for (int k = gi * g; k < (gi + 1) * g; k++) acc += (q[r * layer.K + k] - layer.InputQuant.ZeroPoint) * (long)codes[n * layer.K + k];
                            f = MathF.FusedMultiplyAdd(acc, scales[n * groups + gi], f);
                        }
                        float expected = MathF.FusedMultiplyAdd(f, layer.InputQuant.Scale, bias[n]);
                        if (actual[r * layer.N + n] != expected)
                            Assert.Fail($"{layer.Name} row {r} column {n}: kernel {actual[r * layer.N + n]:R}, exact integer reference {expected:R}");
                    }
                }
            }
            checkedLayers++;
        }
        _output.WriteLine($"{checkedLayers} quantized layers matched the exact integer reference bit for bit");
        Assert.True(checkedLayers >= 40, $"only {checkedLayers} layers were observed");
    }

    /// <summary>The layer's GEMM view [N, K] of the stored codes, scales per (column, group), bias per column.</summary>
    private static (sbyte[] Codes, float[] Scales, int Groups, float[] Bias) GemmView(QswFile file, string layer, int[] shape, int n, bool transposedConv)
    {
        var official = file.WeightCodes(layer + ".weight");
        var scaleInfo = file.Info(layer + ".weight_scale").Shape.ToArray();
        var stored = file.Float32(layer + ".weight_scale");
        var biasOfficial = file.Contains(layer + ".bias") ? file.Float32(layer + ".bias") : new float[transposedConv ? shape[1] : n];
        int groups = scaleInfo.Length == 2 ? scaleInfo[1] : 1;
        if (!transposedConv)
        {
            var s = stored.Length == 1 ? Enumerable.Repeat(stored[0], n).ToArray() : stored;
            return (official, s, groups, biasOfficial);
        }
        // Transposed conv [in, out, 2, 2] → column (tap·out + o), row c.
        int cin = shape[0], cout = shape[1], taps = shape[2] * shape[3];
        var codes = new sbyte[official.Length];
        var scales = new float[n];
        var bias = new float[n];
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < taps; t++)
                    codes[(t * cout + o) * cin + c] = official[(c * cout + o) * taps + t];
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < cout; o++)
            {
                scales[t * cout + o] = stored.Length == 1 ? stored[0] : stored[o];
                bias[t * cout + o] = biasOfficial[o];
            }
        return (codes, scales, 1, bias);
    }

    [Fact]
    public void LoadsAnyExportOfItsStructure()
    {
        var other = FixtureQuantization.Export(FixtureAW8A8Segmenter.QswLayout, s_resolution.Value, widen: 1.5f);
        Assert.NotEqual(s_export.Value, other);
        var a = FixtureAW8A8Segmenter.Load(new MemoryStream(s_export.Value), "a.qsw");
        var b = FixtureAW8A8Segmenter.Load(new MemoryStream(other), "b.qsw");
        a.SetImage(FixtureQuantization.Image);
        b.SetImage(FixtureQuantization.Image);
        var ra = a.Predict(FixtureQuantization.Prompt("case3"));
        var rb = b.Predict(FixtureQuantization.Prompt("case3"));
        Assert.NotEqual(ra.LowResLogits, rb.LowResLogits);
    }

    [Fact]
    public void RefusesAnotherStructure_WithAClearMessage()
    {
        // A W4A8 export of the same architecture: same tensor names, other bits → other structure hash.
        var w4Layout = ImagePathStructure.Layout(FixtureQuantization.Arch, Reresolve(4), "fixture-a W4A8");
        var w4 = FixtureQuantization.Export(w4Layout, Reresolve(4));
        var e = Assert.Throws<QswFormatException>(() => FixtureAW8A8Segmenter.Load(new MemoryStream(w4), "w4.qsw"));
        Assert.Equal("structure_hash", e.Field);
        Assert.Contains("w4.qsw", e.Message);
        Assert.Contains(FixtureAW8A8Segmenter.Description, e.Message);

        // The FP32 segmenter refuses the quantized export the same way.
        var fp = Assert.Throws<QswFormatException>(() => FixtureASegmenter.Load(new MemoryStream(s_export.Value), "w8.qsw"));
        Assert.Equal("structure_hash", fp.Field);

        // A quantized segmenter cannot take a float checkpoint.
        var ck = Assert.Throws<QswFormatException>(() => FixtureAW8A8Segmenter.Load(QSam2.Tests.Shared.ReferenceFixture.A.CheckpointPath));
        Assert.Contains("quantized segmenter", ck.Message);
    }

    [Fact]
    public void RefusesACorruptedExport()
    {
        var bytes = (byte[])s_export.Value.Clone();
        bytes[bytes.Length / 2] ^= 0x40;
        var e = Assert.Throws<QswFormatException>(() => FixtureAW8A8Segmenter.Load(new MemoryStream(bytes), "flipped.qsw"));
        Assert.Equal("checksum", e.Field);
        Assert.StartsWith("flipped.qsw: checksum:", e.Message);
    }

    [Fact]
    public void GeneratedLayoutIsTheSpecLibrarysLayout()
    {
        var fromSpec = ImagePathStructure.Layout(FixtureQuantization.Arch, s_resolution.Value, "x");
        Assert.Equal(FixtureAW8A8Segmenter.StructureHashHex, fromSpec.StructureHashHex);
        Assert.Equal(fromSpec.Tensors, FixtureAW8A8Segmenter.QswLayout.Tensors);
    }

    private static QuantResolution Reresolve(int weightBits) =>
        s_resolution.Value with
        {
            Layers = s_resolution.Value.Layers.Select(l => l.Quant.KeepFloat ? l : l with { Quant = l.Quant with { WeightBits = weightBits } }).ToArray(),
        };
}
