using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Arch;
using QSam2.Spec.Quant.Qsw;
using QSam2.Training.Data;
using QSam2.Training.Evaluation;
using QSam2.Training.Inference;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Training;
using QSam2.Tests.Shared;
using TorchSharp;
using Xunit.Abstractions;

namespace QSam2.Generators.Parity.Tests;

/// <summary>
/// The generated quantized sam2_mini segmenters (integer kernels) against TorchSharp's fake-quant simulation of the
/// same shipped export (<see cref="QuantizedModelLoader"/>: dequantized weights, inputs fake-quantized with the
/// exported scales): both read <c>models/sam2_mini/sam2_mini.&lt;bits&gt;.qsw</c>, and the three box-prompt candidate
/// masks must agree as closely as a second float implementation of the same simulation does (see
/// <see cref="MeanIouBound"/> for why end-to-end agreement stops near 0.99 for any two implementations). The two share
/// no code beyond the readers, so this checks the generated code against the numerics contract (docs/quantization.md)
/// on the trained model the binary ships.
/// </summary>
public sealed class QuantizedParityTests
{
    private readonly ITestOutputHelper _output;

    public QuantizedParityTests(ITestOutputHelper output) => _output = output;

    /// <summary>One pixel of a 19-pixel mask is 5 % of its IoU: the worst-case bound only looks at masks this large.</summary>
    private const int MinUnionForWorstCase = 200;

    /// <summary>
    /// Absolute floors, under the issue's 0.99 because the simulation itself is that sensitive. Fake quantization is a
    /// step function, so two float implementations of the same export flip an activation code now and then, even
    /// when their sums differ only in rounding order (1e-7 relative at the first layer). Each flip moves a whole
    /// token's next layer.
    /// Measured on the shipped W8A8 export: TorchSharp against the generated FP32 segmenter simulating the same .qsw.
    /// 1.5e-5 of the codes differ entering block 0, 3e-3 at block 2, 3e-2 at block 5 and 0.12 at block 6. The image
    /// embeddings differ by 0.5 % (relative L2), and the masks agree at mean IoU 0.985–0.991 depending on the
    /// checkpoint. The integer path lands in the same band (0.988–0.990).
    /// Over these 66 masks one sizable mask can fall to 0.90 in either pairing. <see cref="NoiseFloorSlack"/> holds the
    /// integer path to the float simulation's agreement. <see cref="QuantizedLayerParityTests"/> holds it to exact
    /// equality layer by layer; a real defect there (a wrong zero point or scale) drops these IoUs far below the bounds.
    /// </summary>
    private const double MeanIouBound = 0.985, WorstIouBound = 0.85;

    /// <summary>How much further from TorchSharp the integer path may be than the C# float simulation is (mean IoU over 66 masks).</summary>
    private const double NoiseFloorSlack = 0.006;

    public static TheoryData<string> Configs => new() { "w8a8", "w4a8" };

    [Theory]
    [MemberData(nameof(Configs))]
    public void GeneratedQuantizedSegmenter_AgreesWithTorchSharpFakeQuant(string bits)
    {
        string root = ReferenceFixture.RepoRoot();
        string specPath = Path.Combine(root, "models", "sam2_mini", $"sam2_mini.{bits}.quant.json");
        string qswPath = Path.Combine(root, "models", "sam2_mini", $"sam2_mini.{bits}.qsw");
        Assert.True(File.Exists(specPath) && File.Exists(qswPath),
            $"{specPath} and its .qsw are shipped (src/QSam2.Segmenter/regenerate-weights.sh makes them)");
        var arch = ArchSpecReader.ReadFile(Path.Combine(root, "specs", "arch", "sam2_mini.arch.json"));

        using var simulated = QuantizedModelLoader.Load(arch, specPath);
        using var reference = new Sam2ImagePredictor(simulated.Model);
        Sam2SegmenterBase generated = bits == "w8a8" ? MiniW8A8Segmenter.Load(qswPath) : MiniW4A8Segmenter.Load(qswPath);
        Assert.Contains(generated.Layers, l => l.Quantized);
        // The noise floor: the generated FP32 segmenter simulating the same export in float (dequantized weights,
        // fake-quantized inputs), a second implementation of the definition TorchSharp implements.
        var activationBits = generated.Layers.Where(l => l.Quantized).ToDictionary(l => l.Name, l => l.InputQuant.Bits);
        var floatSimulation = MiniSegmenter.Load(new FakeQuantWeightSource(QswReader.Read(File.ReadAllBytes(qswPath), qswPath), activationBits));

        var ious = new List<double>();
        var floorIous = new List<double>();
        var sizable = new List<double>();
        foreach (var (image, boxes) in Images())
        {
            reference.SetImage(image);
            generated.SetImage(image);
            floatSimulation.SetImage(image);
            foreach (var box in boxes)
            {
                // Multimask output: all three candidates, compared token by token. Single-mask output would add SAM2's
                // stability fallback, whose threshold can flip the chosen token on a near-tie (covered by the FP32 parity).
                using var expected = reference.Predict(null, null, box, null, multimaskOutput: true);
                var want = expected.Masks.to_type(torch.ScalarType.Byte).contiguous().data<byte>().ToArray();
                var result = generated.Predict(box: box, multimaskOutput: true);
                var floor = floatSimulation.Predict(box: box, multimaskOutput: true);
                Assert.Equal(want.Length, result.Masks.Length);
                int plane = result.Height * result.Width;
                for (int m = 0; m < result.Count; m++)
                {
                    var a = want.AsSpan(m * plane, plane).ToArray();
                    var b = result.Masks.AsSpan(m * plane, plane).ToArray();
                    ious.Add(MaskIou.Compute(new BinaryMask(result.Width, result.Height, a), new BinaryMask(result.Width, result.Height, b)));
                    floorIous.Add(MaskIou.Compute(new BinaryMask(result.Width, result.Height, a),
                        new BinaryMask(result.Width, result.Height, floor.Masks.AsSpan(m * plane, plane).ToArray())));
                    if (a.Zip(b, (p, q) => p != 0 || q != 0).Count(u => u) >= MinUnionForWorstCase) sizable.Add(ious[^1]);
                    if (ious[^1] < 0.99)
                        _output.WriteLine($"box [{string.Join(", ", box)}] mask {m}: IoU {ious[^1]:0.0000}, areas {a.Count(v => v != 0)} (TorchSharp) vs {b.Count(v => v != 0)} (generated)");
                }
            }
        }
        _output.WriteLine($"{bits}: {ious.Count} masks, mean IoU {ious.Average():0.0000}, min {ious.Min():0.0000}; " +
            $"float simulation against TorchSharp: mean {floorIous.Average():0.0000}, min {floorIous.Min():0.0000}");
        Assert.True(ious.Average() >= floorIous.Average() - NoiseFloorSlack,
            $"{bits}: the integer path is further from TorchSharp (mean IoU {ious.Average():0.0000}) than the float simulation of the same export is ({floorIous.Average():0.0000})");
        Assert.True(ious.Average() >= MeanIouBound, $"{bits}: mean mask IoU {ious.Average():0.0000} < {MeanIouBound}");
        Assert.True(sizable.Min() >= WorstIouBound, $"{bits}: worst IoU of a mask of at least {MinUnionForWorstCase} pixels {sizable.Min():0.0000} < {WorstIouBound}");
    }

    /// <summary>The README sample with its two documented boxes, and synthetic images (a seed not used in training) with the tight box of every object.</summary>
    private static IEnumerable<(RgbImage Image, List<float[]> Boxes)> Images()
    {
        var sample = ImageCodec.Load(Path.Combine(ReferenceFixture.RepoRoot(), "samples", "shapes.png"));
        yield return (sample, new List<float[]> { new float[] { 40, 30, 180, 150 }, new float[] { 154, 63, 216, 124 } });
        for (int i = 0; i < 4; i++)
        {
            var s = SyntheticImageRenderer.Render(90210, i);
            // Tight box with exclusive right/bottom edges (Bounds() is inclusive).
            var boxes = s.Objects.Select(o => new BinaryMask(s.Width, s.Height, o.Mask).Bounds())
                .Where(b => b is not null).Select(b => new float[] { b!.Value.X0, b.Value.Y0, b.Value.X1 + 1, b.Value.Y1 + 1 }).ToList();
            yield return (new RgbImage(s.Width, s.Height, s.Rgb), boxes);
        }
    }
}
