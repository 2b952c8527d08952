using QSam2.Runtime.Imaging;
using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>
/// Images as users bring them (alpha, grayscale, WebP, EXIF-rotated JPEG, large): the masks always come back at the
/// displayed image size, and formats that carry the same pixels give the same masks.
/// </summary>
public class ImageInputTests
{
    private static (byte[] Mask, int Width, int Height) Segment(TempDir tmp, string image, params string[] prompt)
    {
        string outDir = tmp.File("out-" + Guid.NewGuid().ToString("N"));
        var run = AppRun.Of(new[] { "segment", image, "-o", outDir }.Concat(prompt).ToArray());
        Assert.True(run.Code == 0, run.ToString());
        string stem = Path.GetFileNameWithoutExtension(image);
        var png = MaskAssert.LoadBinaryPng(Path.Combine(outDir, $"{stem}_mask_0.png"));
        var json = SegmentOutputJson.Read(Path.Combine(outDir, $"{stem}_masks.json"));
        Assert.Equal(png.Mask, json.Masks[0].Decode());
        Assert.Equal(new[] { png.Height, png.Width }, json.Masks[0].Size);
        return png;
    }

    private static byte[] FixtureCase1(TempDir tmp) => Segment(tmp, ReferenceFixture.A.ImagePath, "--box", "40,30,180,150").Mask;

    [Fact]
    public void AlphaIsDroppedSoRgbaGivesTheRgbMask()
    {
        using var tmp = new TempDir();
        string path = tmp.File("rgba.png");
        TestImages.WriteRgbaPng(path, TestImages.Fixture());
        var rgba = Segment(tmp, path, "--box", "40,30,180,150");
        Assert.Equal((300, 200), (rgba.Width, rgba.Height));
        Assert.Equal(FixtureCase1(tmp), rgba.Mask);
    }

    [Fact]
    public void LosslessWebpGivesThePngMask()
    {
        using var tmp = new TempDir();
        string path = tmp.File("pic.webp");
        TestImages.WriteLosslessWebp(path, TestImages.Fixture());
        Assert.Equal(FixtureCase1(tmp), Segment(tmp, path, "--box", "40,30,180,150").Mask);
    }

    [Fact]
    public void GrayscaleIsReplicatedToRgb()
    {
        using var tmp = new TempDir();
        string gray = tmp.File("gray.png");
        var luma = TestImages.WriteGrayPng(gray, TestImages.Fixture());
        // Reference: the same luma written as an RGB PNG with R = G = B.
        var rgb = new byte[luma.Length * 3];
        for (int i = 0; i < luma.Length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = luma[i];
        string rgbPath = tmp.File("gray-as-rgb.png");
        ImageCodec.SavePng(new RgbImage(300, 200, rgb), rgbPath);
        var fromGray = Segment(tmp, gray, "--box", "40,30,180,150");
        Assert.Equal((300, 200), (fromGray.Width, fromGray.Height));
        Assert.Equal(Segment(tmp, rgbPath, "--box", "40,30,180,150").Mask, fromGray.Mask);
    }

    [Fact]
    public void ExifRotatedJpegIsSegmentedAsDisplayed()
    {
        using var tmp = new TempDir();
        // Stored 300×200 with orientation 6 (rotate 90° clockwise to display): displayed 200×300.
        string path = tmp.File("phone.jpg");
        TestImages.WriteJpegWithOrientation(path, TestImages.Fixture(), 6);
        var shown = Segment(tmp, path, "--box", "20,40,150,280");
        Assert.Equal((200, 300), (shown.Width, shown.Height));
        Assert.InRange(shown.Mask.Count(v => v != 0), 1, shown.Mask.Length - 1);
        // A box that fits the stored 300×200 frame but not the displayed 200×300 one is off the image.
        var off = AppRun.Of("segment", path, "--box", "10,10,250,150", "-o", tmp.File("off"));
        Assert.Equal(2, off.Code);
        Assert.Contains("x1 = 250 is outside the image", off.Err);
    }

    [Fact]
    public void LargeImagesAreResizedForTheModelAndMasksReturnAtFullSize()
    {
        using var tmp = new TempDir();
        string path = tmp.File("big.png");
        ImageCodec.SavePng(TestImages.Upscale(TestImages.Fixture(), 4), path);
        var big = Segment(tmp, path, "--box", "160,120,720,600");
        Assert.Equal((1200, 800), (big.Width, big.Height));
        // The 4× nearest upscale shows the same scene: its mask, sampled back at 1/4, agrees with the small image's.
        var small = FixtureCase1(tmp);
        var sampled = new byte[300 * 200];
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 300; x++)
                sampled[y * 300 + x] = big.Mask[(4 * y + 2) * 1200 + 4 * x + 2];
        double iou = MaskAssert.Iou(small, sampled);
        Assert.True(iou > 0.9, $"IoU {iou:F3} between the 1200×800 mask (sampled) and the 300×200 mask");
    }
}
