using QSam2.Runtime.Imaging;
using SkiaSharp;

namespace QSam2.Runtime.Tests.Imaging;

public class MaskPngTests
{
    [Fact]
    public void WritesAnEightBitGrayscalePngOfZeroAnd255()
    {
        using var dir = new ScratchDir();
        var mask = new bool[5 * 3];
        mask[0] = mask[7] = mask[14] = true;
        MaskPng.Save(dir.File("m.png"), mask, 5, 3);

        using var codec = SKCodec.Create(dir.File("m.png"));
        Assert.Equal(SKColorType.Gray8, codec.Info.ColorType);
        Assert.Equal((5, 3), (codec.Info.Width, codec.Info.Height));
        using var bmp = SKBitmap.Decode(dir.File("m.png"));
        for (int i = 0; i < mask.Length; i++)
        {
            var c = bmp.GetPixel(i % 5, i / 5);
            Assert.Equal(mask[i] ? 255 : 0, c.Red);
        }
        var (loaded, w, h) = MaskPng.Load(dir.File("m.png"));
        Assert.Equal((5, 3), (w, h));
        Assert.Equal(mask.Select(b => b ? (byte)1 : (byte)0), loaded);
    }

    [Fact]
    public void ByteMaskTreatsAnyNonZeroAsForegroundAndOverwritesAtomically()
    {
        using var dir = new ScratchDir();
        string path = dir.File("m.png");
        MaskPng.Save(path, new byte[] { 0, 0, 0, 0 }, 2, 2);
        MaskPng.Save(path, new byte[] { 0, 1, 7, 255 }, 2, 2);
        Assert.Equal(new byte[] { 0, 1, 1, 1 }, MaskPng.Load(path).Mask);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void WrongLengthOrMissingFolderIsAClearError()
    {
        using var dir = new ScratchDir();
        var e = Assert.Throws<ImageFileException>(() => MaskPng.Save(dir.File("m.png"), new byte[5], 2, 2));
        Assert.Contains("expected 2×2 = 4", e.Message);
        var e2 = Assert.Throws<ImageFileException>(() => MaskPng.Save(dir.File("no/such/m.png"), new byte[4], 2, 2));
        Assert.Contains("does not exist", e2.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
