using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>
/// <c>sam2seg segment</c> on the official fixture (a 300×200 PNG written by PIL, segmented by the fixture-a model):
/// the mask PNGs and the JSON's RLE must reproduce the official SAM2 masks of the fixture's prompt cases.
/// </summary>
public class SegmentFixtureTests
{
    private static readonly ReferenceFixture Fx = ReferenceFixture.A;

    [Fact]
    public void BoxPromptWritesTheOfficialMaskAsPngAndRle()
    {
        using var tmp = new TempDir();
        string outDir = tmp.File("out");
        var run = AppRun.Of("segment", Fx.ImagePath, "--box", "40,30,180,150", "-o", outDir);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("", run.Err);

        Assert.Equal(new[] { "image_mask_0.png", "image_masks.json", "image_overlay.png" },
            Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        var (png, w, h) = MaskAssert.LoadBinaryPng(Path.Combine(outDir, "image_mask_0.png"));
        Assert.Equal((300, 200), (w, h));
        var official = Fx.Bytes("case1.predict.masks");
        MaskAssert.MatchesOfficial(official, Fx.Float("case1.predict.masks_logits"), png, "case1 PNG");

        var json = SegmentOutputJson.Read(Path.Combine(outDir, "image_masks.json"));
        Assert.Equal((300, 200, TestCatalog.Model), (json.Width, json.Height, json.Model));
        var m = Assert.Single(json.Masks);
        Assert.Equal(new[] { 200, 300 }, m.Size);
        Assert.Equal(png, m.Decode()); // the RLE is exactly the PNG's mask
        Assert.Equal(png.Count(v => v != 0), m.Area);
        Assert.Equal(Fx.Float("case1.predict.iou_predictions")[0], m.PredictedIou, 4);
        Assert.Equal("image_mask_0.png", m.File);
        Assert.Equal(new[] { 40.0, 30, 180, 150 }, m.Box.EnumerateArray().Select(v => v.GetDouble()).ToArray());
        Assert.Equal(BruteForceBbox(png, 300, 200), m.Bbox);

        Assert.Contains("predicted IoU 0.5800", run.Out);
        Assert.Contains(Path.Combine(outDir, "image_overlay.png"), run.Out);
    }

    /// <summary>
    /// SAM2's clean-up options change only the mask: a sprinkle area larger than the whole low-res plane removes every
    /// foreground component (empty mask), and a hole area that large fills the background around the object instead.
    /// </summary>
    [Fact]
    public void HoleAndSprinkleAreasCleanUpTheMask()
    {
        using var tmp = new TempDir();
        var plain = AppRun.Of("segment", Fx.ImagePath, "--box", "40,30,180,150", "--format", "png", "-o", tmp.File("plain"));
        var noSpecks = AppRun.Of("segment", Fx.ImagePath, "--box", "40,30,180,150", "--format", "png", "--max-sprinkle-area", "70000", "-o", tmp.File("sprinkle"));
        var filled = AppRun.Of("segment", Fx.ImagePath, "--box", "40,30,180,150", "--format", "png", "--max-hole-area", "70000", "-o", tmp.File("hole"));
        foreach (var run in new[] { plain, noSpecks, filled }) Assert.True(run.Code == 0, run.ToString());
        var (mask, _, _) = MaskAssert.LoadBinaryPng(tmp.File("plain/image_mask_0.png"));
        var (empty, _, _) = MaskAssert.LoadBinaryPng(tmp.File("sprinkle/image_mask_0.png"));
        var (full, _, _) = MaskAssert.LoadBinaryPng(tmp.File("hole/image_mask_0.png"));
        Assert.Contains(mask, v => v != 0);
        Assert.Contains(mask, v => v == 0);
        Assert.All(empty, v => Assert.Equal(0, v));
        Assert.All(full, v => Assert.NotEqual(0, v));
        // The predicted IoU is the decoder's, untouched by the clean-up.
        Assert.Contains("predicted IoU 0.5800", noSpecks.Out);
    }

    [Fact]
    public void MultimaskClicksGiveTheThreeOfficialMasks()
    {
        using var tmp = new TempDir();
        var run = AppRun.Of("segment", Fx.ImagePath, "--point", "150,100", "--point", "60,170:0", "--multimask", "--format", "png", "-o", tmp.Path);
        Assert.True(run.Code == 0, run.ToString());
        var official = Fx.Bytes("case2.predict.masks");
        var logits = Fx.Float("case2.predict.masks_logits");
        int plane = 300 * 200;
        for (int c = 0; c < 3; c++)
        {
            var (png, _, _) = MaskAssert.LoadBinaryPng(tmp.File($"image_mask_{c}.png"));
            MaskAssert.MatchesOfficial(official[(c * plane)..((c + 1) * plane)], logits[(c * plane)..((c + 1) * plane)], png, $"case2 mask {c}");
        }
        Assert.False(File.Exists(tmp.File("image_masks.json"))); // --format png: no JSON
        Assert.True(File.Exists(tmp.File("image_overlay.png")));
    }

    [Fact]
    public void PromptsFileSegmentsSeveralObjectsFromOneEmbedding()
    {
        using var tmp = new TempDir();
        string prompts = tmp.File("prompts.json");
        // Object 0 = fixture case1 (box), object 1 = case5 (same box + a click).
        File.WriteAllText(prompts, """
            [
              [{"type": "rectangle", "data": [40, 30, 180, 150]}],
              [{"type": "rectangle", "data": [40, 30, 180, 150]}, {"type": "point", "data": [100, 80], "label": 1}]
            ]
            """);
        string outDir = tmp.File("out");
        var run = AppRun.Of("segment", Fx.ImagePath, "--prompts", prompts, "--format", "json", "-o", outDir);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(new[] { "image_masks.json", "image_overlay.png" },
            Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        var json = SegmentOutputJson.Read(Path.Combine(outDir, "image_masks.json"));
        Assert.Equal(new[] { (0, 0, 0), (1, 1, 0) }, json.Masks.Select(m => (m.Id, m.Object, m.Candidate)));
        Assert.All(json.Masks, m => Assert.Null(m.File));
        MaskAssert.MatchesOfficial(Fx.Bytes("case1.predict.masks"), Fx.Float("case1.predict.masks_logits"), json.Masks[0].Decode(), "case1 RLE");
        MaskAssert.MatchesOfficial(Fx.Bytes("case5.predict.masks"), Fx.Float("case5.predict.masks_logits"), json.Masks[1].Decode(), "case5 RLE");
        Assert.Equal(Fx.Float("case5.predict.iou_predictions")[0], json.Masks[1].PredictedIou, 4);
    }

    [Fact]
    public void OverlayIsTheImageSizeAndShowsMasksAndPrompts()
    {
        using var tmp = new TempDir();
        var run = AppRun.Of("segment", Fx.ImagePath, "--box", "40,30,180,150", "--point", "100,80", "-o", tmp.Path);
        Assert.True(run.Code == 0, run.ToString());
        var overlay = Runtime.Imaging.ImageCodec.Load(tmp.File("image_overlay.png"));
        var image = TestImages.Fixture();
        Assert.Equal((image.Width, image.Height), (overlay.Width, overlay.Height));
        var (mask, _, _) = MaskAssert.LoadBinaryPng(tmp.File("image_mask_0.png"));
        // Far from the prompts, background pixels are untouched and mask interiors are tinted.
        int untouched = 0, background = 0, tinted = 0, inside = 0;
        for (int y = 0; y < 200; y++)
        {
            for (int x = 0; x < 300; x++)
            {
                if (x is > 30 and < 190 && y is > 20 and < 160) continue;
                int p = y * 300 + x;
                bool same = overlay.Pixels.AsSpan(3 * p, 3).SequenceEqual(image.Pixels.AsSpan(3 * p, 3));
                if (mask[p] == 0) { background++; if (same) untouched++; }
                else { inside++; if (!same) tinted++; }
            }
        }
        Assert.True(background > 0 && untouched > 0.9 * background, $"{untouched}/{background} background pixels unchanged");
        Assert.True(inside == 0 || tinted == inside, $"{tinted}/{inside} mask pixels tinted");
        // The click at (100, 80) is drawn as a green dot.
        Assert.True(overlay[100, 80, 1] > 150 && overlay[100, 80, 0] < 100, $"click marker colour ({overlay[100, 80, 0]},{overlay[100, 80, 1]},{overlay[100, 80, 2]})");
    }

    private static double[] BruteForceBbox(byte[] mask, int w, int h)
    {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (mask[y * w + x] != 0) (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        return x1 < 0 ? new double[4] : new double[] { x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
    }
}
