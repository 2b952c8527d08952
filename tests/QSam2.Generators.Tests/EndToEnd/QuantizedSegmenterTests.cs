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

    private static readonly Lazy<QuantResolution> s_resolution = new(() => FixtureQuantization.Resolve("fixture_a.w8a8.quant.json"));
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

    [Fact]
    public void IntegerPath_ReproducesTheFloatSimulationOfTheSameExport()
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
                Assert.True(iou >= 0.99, $"{c} mask {m}: IoU {iou}");
                Assert.True(Math.Abs(q.IouPredictions[m] - s.IouPredictions[m]) < 0.02, $"{c} mask {m}: IoU prediction {q.IouPredictions[m]} vs {s.IouPredictions[m]}");
            }
        }
        File.Delete(path);
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
        var w4Layout = ImagePathStructure.Layout(FixtureQuantization.Arch, Reresolve(4), "fixture_a W4A8");
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
