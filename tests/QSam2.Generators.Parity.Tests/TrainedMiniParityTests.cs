using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Arch;
using QSam2.Training.Data;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;
using QSam2.Tests.Shared;
using TorchSharp;
using Xunit.Abstractions;

namespace QSam2.Generators.Parity.Tests;

/// <summary>
/// The generated FP32 sam2_mini segmenter and the TorchSharp reference on the shipped, trained checkpoint
/// (<c>models/sam2_mini/sam2_mini.pt</c>, which the generated segmenter reads itself through the runtime's checkpoint
/// reader): box-prompt masks agree with IoU ≥ 0.999 and the upsampled logits within 1e-3 of their range, on the
/// README sample and on held-out synthetic images. Random weights are covered by <see cref="MiniParityTests"/>;
/// trained weights give the smooth, confident logits users will see.
/// </summary>
public sealed class TrainedMiniParityTests
{
    private readonly ITestOutputHelper _output;

    public TrainedMiniParityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void GeneratedFp32_MatchesTorchSharp_OnTheShippedCheckpoint()
    {
        string root = ReferenceFixture.RepoRoot();
        string ckpt = Path.Combine(root, "models", "sam2_mini", "sam2_mini.pt");
        var arch = ArchSpecReader.ReadFile(Path.Combine(root, "specs", "arch", "sam2_mini.arch.json"));
        using var model = new Sam2Model(arch);
        model.LoadStateDict(CheckpointReader.Read(ckpt), ckpt);
        model.eval();
        using var reference = new Sam2ImagePredictor(model);
        var generated = MiniSegmenter.Load(ckpt);

        var sample = ImageCodec.Load(Path.Combine(root, "samples", "shapes.png"));
        var images = new List<(RgbImage, float[][])> { (sample, new[] { new float[] { 154, 63, 216, 124 }, new float[] { 40, 30, 180, 150 } }) };
        for (int i = 0; i < 2; i++)
        {
            var s = SyntheticImageRenderer.Render(424242, i);
            images.Add((new RgbImage(s.Width, s.Height, s.Rgb), new[] { new float[] { 20, 20, 140, 140 }, new float[] { 100, 60, 250, 200 } }));
        }

        double worstIou = 1, worstLogit = 0;
        foreach (var (image, boxes) in images)
        {
            reference.SetImage(image);
            generated.SetImage(image);
            foreach (var box in boxes)
            {
                using var expected = reference.Predict(null, null, box, null, multimaskOutput: false, returnLogits: true);
                var want = expected.Masks.contiguous().data<float>().ToArray();
                var got = generated.Predict(box: box, multimaskOutput: false, returnLogits: true);
                Assert.Equal(want.Length, got.MaskLogits.Length);
                float range = want.Max() - want.Min();
                float diff = want.Zip(got.MaskLogits, (a, b) => MathF.Abs(a - b)).Max();
                int inter = 0, union = 0;
                for (int p = 0; p < want.Length; p++)
                {
                    bool a = want[p] > 0, b = got.Masks[p] != 0;
                    if (a && b) inter++;
                    if (a || b) union++;
                }
                double iou = union == 0 ? 1 : (double)inter / union;
                worstIou = Math.Min(worstIou, iou);
                worstLogit = Math.Max(worstLogit, diff / Math.Max(range, 1e-6f));
                _output.WriteLine($"box [{string.Join(", ", box)}]: IoU {iou:0.00000}, max |logit diff| {diff:G3} of range {range:G4}, area {union}");
            }
        }
        Assert.True(worstIou >= 0.999, $"worst mask IoU {worstIou:0.00000} < 0.999");
        Assert.True(worstLogit <= 1e-3, $"worst logit difference {worstLogit:G3} of the logit range > 1e-3");
    }
}
