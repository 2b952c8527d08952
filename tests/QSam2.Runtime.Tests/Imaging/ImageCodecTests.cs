using QSam2.Runtime.Imaging;
using QSam2.Tests.Shared;
using SkiaSharp;

namespace QSam2.Runtime.Tests.Imaging;

public class ImageCodecTests
{
    private static RgbImage Gradient(int w, int h)
    {
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                px[i] = (byte)(x * 255 / Math.Max(1, w - 1));
                px[i + 1] = (byte)(y * 255 / Math.Max(1, h - 1));
                px[i + 2] = (byte)((x * 7 + y * 13) % 256);
            }
        }
        return new RgbImage(w, h, px);
    }

    [Fact]
    public void FixturePngDecodesToTheReferenceRgbBytes()
    {
        var fx = ReferenceFixture.A;
        var image = ImageCodec.Load(fx.ImagePath);
        Assert.Equal(300, image.Width);
        Assert.Equal(200, image.Height);
        Assert.Equal(fx.Bytes("image.rgb"), image.Pixels);
    }

    [Fact]
    public void RgbPngRoundTripsNonSquare()
    {
        using var dir = new ScratchDir();
        var original = Gradient(37, 19);
        ImageCodec.SavePng(original, dir.File("g.png"));
        var loaded = ImageCodec.Load(dir.File("g.png"));
        Assert.Equal((37, 19), (loaded.Width, loaded.Height));
        Assert.Equal(original.Pixels, loaded.Pixels);
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void GrayscalePngIsReplicatedToThreeChannels()
    {
        using var dir = new ScratchDir();
        var gray = new byte[] { 0, 1, 0, 1, 1, 0 };
        MaskPng.Save(dir.File("m.png"), gray, 3, 2);
        var image = ImageCodec.Load(dir.File("m.png"));
        for (int i = 0; i < gray.Length; i++)
        {
            byte v = gray[i] != 0 ? (byte)255 : (byte)0;
            Assert.Equal(new[] { v, v, v }, image.Pixels.AsSpan(i * 3, 3).ToArray());
        }
    }

    [Fact]
    public void AlphaIsDroppedNotComposited()
    {
        using var dir = new ScratchDir();
        // Two pixels: fully transparent red, half-transparent (100, 150, 200).
        var rgba = new byte[] { 255, 0, 0, 0, 100, 150, 200, 128 };
        var info = new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (var bmp = new SKBitmap(info))
        {
            System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bmp.GetPixels(), rgba.Length);
            using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(dir.File("a.png"), data.ToArray());
        }
        var image = ImageCodec.Load(dir.File("a.png"));
        Assert.Equal(new byte[] { 255, 0, 0, 100, 150, 200 }, image.Pixels);
    }

    [Theory]
    [InlineData(1, 40, 24)]
    [InlineData(3, 40, 24)]
    [InlineData(6, 24, 40)]
    [InlineData(8, 24, 40)]
    public void JpegExifOrientationIsApplied(int orientation, int expectW, int expectH)
    {
        using var dir = new ScratchDir();
        // Stored 40×24: left half red, right half blue; top rows of the left half green.
        var px = new byte[40 * 24 * 3];
        for (int y = 0; y < 24; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                int i = (y * 40 + x) * 3;
                (px[i], px[i + 1], px[i + 2]) = x < 20 ? (y < 8 ? ((byte)0, (byte)255, (byte)0) : ((byte)255, (byte)0, (byte)0)) : ((byte)0, (byte)0, (byte)255);
            }
        }
        string path = dir.File("o.jpg");
        File.WriteAllBytes(path, JpegWithOrientation(new RgbImage(40, 24, px), orientation));

        var image = ImageCodec.Load(path);
        Assert.Equal((expectW, expectH), (image.Width, image.Height));
        // Where the stored top-left (green) corner ends up on screen.
        (int gx, int gy) = orientation switch { 1 => (2, 2), 3 => (37, 21), 6 => (21, 2), _ => (2, 37) };
        AssertColor(image, gx, gy, 0, 255, 0);
        var raw = ImageCodec.Load(path, applyExifOrientation: false);
        Assert.Equal((40, 24), (raw.Width, raw.Height));
        AssertColor(raw, 2, 2, 0, 255, 0);
    }

    private static void AssertColor(RgbImage image, int x, int y, int r, int g, int b)
    {
        Assert.InRange(image[x, y, 0], Math.Max(0, r - 40), Math.Min(255, r + 40));
        Assert.InRange(image[x, y, 1], Math.Max(0, g - 40), Math.Min(255, g + 40));
        Assert.InRange(image[x, y, 2], Math.Max(0, b - 40), Math.Min(255, b + 40));
    }

    /// <summary>Encodes a JPEG with Skia and inserts a minimal EXIF APP1 segment holding only tag 0x0112.</summary>
    private static byte[] JpegWithOrientation(RgbImage image, int orientation)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[p * 4] = image.Pixels[p * 3];
            rgba[p * 4 + 1] = image.Pixels[p * 3 + 1];
            rgba[p * 4 + 2] = image.Pixels[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bmp = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bmp.GetPixels(), rgba.Length);
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
        var jpeg = data.ToArray();

        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8u));                 // IFD0 offset
        tiff.AddRange(BitConverter.GetBytes((ushort)1));          // one entry
        tiff.AddRange(BitConverter.GetBytes((ushort)0x0112));     // Orientation
        tiff.AddRange(BitConverter.GetBytes((ushort)3));          // SHORT
        tiff.AddRange(BitConverter.GetBytes(1u));                 // count
        tiff.AddRange(BitConverter.GetBytes((ushort)orientation));
        tiff.AddRange(new byte[2]);
        tiff.AddRange(BitConverter.GetBytes(0u));                 // no next IFD
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        int segLen = payload.Length + 2;
        var app1 = new byte[] { 0xFF, 0xE1, (byte)(segLen >> 8), (byte)segLen }.Concat(payload);
        return jpeg.Take(2).Concat(app1).Concat(jpeg.Skip(2)).ToArray();
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<ImageFileException>(() => ImageCodec.Load("/nonexistent/dir/pic.png"));
        Assert.StartsWith("/nonexistent/dir/pic.png:", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void NonImageAndEmptyFilesAreRejectedWithTheirName()
    {
        using var dir = new ScratchDir();
        File.WriteAllText(dir.File("notes.png"), "hello, this is text");
        File.WriteAllBytes(dir.File("empty.jpg"), Array.Empty<byte>());
        var e1 = Assert.Throws<ImageFileException>(() => ImageCodec.Load(dir.File("notes.png")));
        Assert.Contains("notes.png", e1.Message);
        Assert.Contains("not a recognised image", e1.Message);
        var e2 = Assert.Throws<ImageFileException>(() => ImageCodec.Load(dir.File("empty.jpg")));
        Assert.Contains("empty", e2.Message);
        var e3 = Assert.Throws<ImageFileException>(() => ImageCodec.Load(dir.Path));
        Assert.Contains("directory", e3.Message);
    }

    [Fact]
    public void TruncatedPngIsRejected()
    {
        using var dir = new ScratchDir();
        ImageCodec.SavePng(Gradient(64, 48), dir.File("full.png"));
        var bytes = File.ReadAllBytes(dir.File("full.png"));
        File.WriteAllBytes(dir.File("cut.png"), bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var e = Assert.Throws<ImageFileException>(() => ImageCodec.Load(dir.File("cut.png")));
        Assert.Contains("cut.png", e.Message);
        Assert.Contains("truncated", e.Message);
    }
}
