using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>
/// <c>sam2seg auto</c> on the fixture image: the masks it writes pass its filters, their PNGs and RLE agree, their boxes
/// do not overlap beyond the NMS threshold, and bad settings end with exit code 2 and nothing written.
/// </summary>
public class AutoCommandTests
{
    private static readonly ReferenceFixture Fx = ReferenceFixture.A;

    [Fact]
    public void WritesTheKeptMasksOfTheGrid()
    {
        using var tmp = new TempDir();
        string outDir = tmp.File("out");
        var run = AppRun.Of("auto", Fx.ImagePath, "--points-per-side", "4", "--pred-iou-thresh", "0.3", "--stability-score-thresh", "0.5", "-o", outDir);
        Assert.True(run.Code == 0, run.ToString());
        var json = SegmentOutputJson.Read(Path.Combine(outDir, "image_masks.json"));
        Assert.NotEmpty(json.Masks);
        Assert.Contains($"{json.Masks.Count} masks from 4×4 points", run.Out);
        foreach (var m in json.Masks)
        {
            Assert.True(m.PredictedIou > 0.3, $"mask {m.Id}: predicted IoU {m.PredictedIou}");
            var (png, w, h) = MaskAssert.LoadBinaryPng(Path.Combine(outDir, m.File!));
            Assert.Equal((300, 200), (w, h));
            Assert.Equal(png, m.Decode());
            Assert.Equal(png.Count(v => v != 0), m.Area);
        }
        for (int i = 0; i < json.Masks.Count; i++)
            for (int j = i + 1; j < json.Masks.Count; j++)
            {
                var (a, b) = (json.Masks[i].Bbox, json.Masks[j].Bbox);
                double iw = Math.Max(0, Math.Min(a[0] + a[2], b[0] + b[2]) - Math.Max(a[0], b[0]));
                double ih = Math.Max(0, Math.Min(a[1] + a[3], b[1] + b[3]) - Math.Max(a[1], b[1]));
                // COCO boxes are one pixel wider than SAM2's inclusive NMS boxes; compare on the inclusive form.
                double aw = a[2] - 1, ah = a[3] - 1, bw = b[2] - 1, bh = b[3] - 1;
                double inter = Math.Max(0, iw - 1) * Math.Max(0, ih - 1);
                Assert.True(inter / (aw * ah + bw * bh - inter) <= 0.7 + 1e-9, $"masks {i} and {j} overlap beyond box NMS 0.7");
            }
    }

    [Theory]
    [InlineData("--points-per-side", "0", "points per side must be 1..256")]
    [InlineData("--pred-iou-thresh", "1.5", "predicted-IoU threshold must be in [0, 1]")]
    public void BadSettings_ExitTwoAndWriteNothing(string option, string value, string expected)
    {
        using var tmp = new TempDir();
        string outDir = tmp.File("out");
        var run = AppRun.Of("auto", Fx.ImagePath, option, value, "-o", outDir);
        Assert.Equal(2, run.Code);
        Assert.Contains(expected, run.Err);
        Assert.False(Directory.Exists(outDir));
    }
}
