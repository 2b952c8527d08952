using System.Globalization;
using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Prompts;
using QSam2.Segmenter.Segmentation;
using QSam2.Tests.Shared;
using Xunit.Abstractions;

namespace QSam2.Segmenter.Tests.Models;

/// <summary>
/// Box-prompt quality of the embedded models on the committed sample (samples/shapes.png, held out from training, with
/// its ground truth in samples/shapes.annotations.json): every labelled object is prompted with its ground-truth box
/// and the mask compared with its ground-truth mask. Only models whose weights are embedded in this build take part.
/// </summary>
public class ShippedModelQualityTests
{
    private readonly ITestOutputHelper _output;

    public ShippedModelQualityTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Lowest acceptable box-prompt mIoU per model: a regression guard for the shipped weights, about 0.05 under what
    /// they measured when committed (2026-11-29, the 17,250-step sam2_mini: FP32 0.711, W8A8 0.696, W4A8 0.686,
    /// W2A4 0.078 on these 7 objects; W2A4 with the shipped 300-step QAT recipe loses nearly everything, see
    /// models/sam2_mini/sam2_mini.w2a4.report.md). Raise them with the next trained model.
    /// </summary>
    private static readonly Dictionary<string, double> s_floor = new()
    {
        ["mini-fp32"] = 0.66, ["mini-w8a8"] = 0.645, ["mini-w4a8"] = 0.635, ["mini-w2a4"] = 0.05,
    };

    [Fact]
    public void EmbeddedModelsSegmentTheSampleObjectsFromTheirBoxes()
    {
        string samples = Path.Combine(ReferenceFixture.RepoRoot(), "samples");
        var gt = CocoDataset.Load(Path.Combine(samples, "shapes.annotations.json"), samples);
        var image = ImageCodec.Load(Path.Combine(samples, "shapes.png"));
        var annotations = gt.AnnotationsOf(gt.Images[0].Id);
        Assert.Equal((image.Width, image.Height), (gt.Images[0].Width, gt.Images[0].Height));

        var results = new Dictionary<string, double>();
        foreach (var model in ShippedModels.Catalog.Models.Where(m => m.Weights.IsAvailable))
        {
            var segmenter = model.Open();
            segmenter.SetImage(image);
            var objects = annotations.Select(a =>
            {
                var (x0, y0, x1, y1) = a.Bbox.ToXyxy();
                return new ObjectPrompt(new PromptBox((float)x0, (float)y0, (float)x1, (float)y1, $"annotation {a.Id}"), Array.Empty<PromptPoint>(), $"annotation {a.Id}");
            }).ToList();
            var masks = SegmentRunner.Predict(segmenter, objects, multimask: false);
            var ious = annotations.Select((a, i) => Iou(a.DecodeMask(), masks[i].Mask)).ToArray();
            double mIou = ious.Average();
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{model.Name}: box-prompt mIoU {mIou:F4} over {ious.Length} objects ({string.Join(", ", ious.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))})"));
            results[model.Name] = mIou;
        }
        Assert.All(results, r => Assert.True(r.Value >= s_floor[r.Key], $"{r.Key}: box-prompt mIoU {r.Value:F4} on samples/shapes.png is below {s_floor[r.Key]}"));
    }

    private static double Iou(byte[] a, byte[] b)
    {
        long inter = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool x = a[i] != 0, y = b[i] != 0;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }
}
