using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Arch;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;
using QSam2.Tests.Shared;
using TorchSharp;
using Xunit.Abstractions;

namespace QSam2.Generators.Parity.Tests;

/// <summary>
/// End-to-end parity of the generated FP32 sam2_mini segmenter with the TorchSharp reference predictor
/// (QSam2.Training), both loaded with the same random weights: image embedding, then low-res logits, IoU predictions
/// and masks for a click (multimask), a box (single mask with the stability fallback), box + clicks, and a mask
/// refinement. sam2_mini differs from the official fixture's model (no window padding, its own window sizes, global
/// block 5), so this covers a second architecture.
/// </summary>
public sealed class MiniParityTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Sam2Model _model;
    private readonly Sam2ImagePredictor _reference;
    private readonly MiniSegmenter _generated;
    private readonly RgbImage _image;

    public MiniParityTests(ITestOutputHelper output)
    {
        _output = output;
        torch.manual_seed(7);
        var spec = ArchSpecReader.ReadFile(Path.Combine(ReferenceFixture.RepoRoot(), "specs", "arch", "sam2_mini.arch.json"));
        _model = new Sam2Model(spec);
        // Default init leaves embeddings and pos_embed at zero: perturb every tensor so each one matters.
        var rng = new Random(5);
        var noisy = new StateDict(_model.ExportStateDict().Select(p =>
        {
            var d = (float[])p.Value.Data.Clone();
            for (int i = 0; i < d.Length; i++) d[i] += (float)(0.05 * (rng.NextDouble() * 2 - 1));
            return (p.Key, new TensorData(p.Value.Shape, d));
        }));
        _model.LoadStateDict(noisy, "noisy init");
        _reference = new Sam2ImagePredictor(_model);
        _generated = MiniSegmenter.Load(WeightSource.FromStateDict(noisy, "noisy init"));

        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb");
        _image = new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
        _reference.SetImage(_image);
        _generated.SetImage(_image);
    }

    public void Dispose()
    {
        _reference.Dispose();
        _model.Dispose();
    }

    private void Close(string name, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(MathF.Abs);
        float tol = 1e-4f * scale + 1e-5f;
        float worst = expected.Zip(actual, (e, a) => MathF.Abs(e - a)).Max();
        _output.WriteLine($"{name}: max |diff| {worst:G3} (tolerance {tol:G3}, scale {scale:G4})");
        Assert.True(worst <= tol, $"{name}: max |diff| {worst} exceeds {tol}");
    }

    [Fact]
    public void ImageEmbedding()
    {
        using var embed = _reference.GetImageEmbedding();
        Close("image_embed", embed.contiguous().data<float>().ToArray(), _generated.GetImageEmbedding());
    }

    public static TheoryData<string> Prompts => new() { "click", "box", "box+clicks", "refine" };

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Prediction(string kind)
    {
        float[,]? points = kind switch
        {
            "click" => new float[,] { { 150, 100 } },
            "box+clicks" => new float[,] { { 100, 80 }, { 210, 60 } },
            "refine" => new float[,] { { 60, 170 } },
            _ => null,
        };
        int[]? labels = kind switch { "click" => new[] { 1 }, "box+clicks" => new[] { 1, 0 }, "refine" => new[] { 1 }, _ => null };
        float[]? box = kind is "box" or "box+clicks" ? new float[] { 40, 30, 180, 150 } : null;
        bool multimask = kind is "click";
        float[]? maskInput = null;
        torch.Tensor? maskTensor = null;
        if (kind == "refine")
        {
            using var first = _reference.Predict(points, labels, null, null, multimaskOutput: true);
            var low = first.LowResLogits.contiguous().data<float>().ToArray();
            int plane = _reference.LowResSize * _reference.LowResSize;
            maskInput = low.AsSpan(0, plane).ToArray();
            maskTensor = torch.tensor(maskInput, new long[] { 1, _reference.LowResSize, _reference.LowResSize });
        }

        using var expected = _reference.Predict(points, labels, box, maskTensor, multimaskOutput: multimask, returnLogits: true);
        maskTensor?.Dispose();
        var actual = _generated.Predict(new Sam2Prompt
        {
            PointCoords = points is null ? null : Flatten(points),
            PointLabels = labels,
            Box = box,
            MaskInput = maskInput,
            MultimaskOutput = multimask,
            ReturnLogits = true,
        });

        Close(kind + " iou", expected.IouArray(), actual.IouPredictions);
        Close(kind + " low-res logits", expected.LowResLogits.contiguous().data<float>().ToArray(), actual.LowResLogits);
        var logits = expected.Masks.contiguous().data<float>().ToArray();
        Close(kind + " mask logits", logits, actual.MaskLogits);
        float tol = 1e-4f * logits.Max(MathF.Abs) + 1e-5f;
        int mismatched = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            bool e = logits[i] > 0, a = actual.Masks[i] != 0;
            if (e != a && MathF.Abs(logits[i]) > tol) mismatched++;
        }
        Assert.Equal(0, mismatched);
    }

    private static float[] Flatten(float[,] p)
    {
        var r = new float[p.Length];
        for (int i = 0; i < p.GetLength(0); i++)
        {
            r[2 * i] = p[i, 0];
            r[2 * i + 1] = p[i, 1];
        }
        return r;
    }
}
