using SkiaSharp;

namespace QSam2.Runtime.Imaging;

/// <summary>
/// Binary masks as 8-bit grayscale PNGs: 0 = background, 255 = foreground (what SAM2 tools and most
/// viewers expect). Writes go through a temporary file and a rename, so no partial PNG is ever left.
/// </summary>
public static class MaskPng
{
    /// <summary>Saves a row-major H×W boolean mask.</summary>
    public static void Save(string path, ReadOnlySpan<bool> mask, int width, int height)
    {
        CheckSize(path, mask.Length, width, height);
        var gray = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++) gray[i] = mask[i] ? (byte)255 : (byte)0;
        Write(path, gray, width, height);
    }

    /// <summary>Saves a row-major H×W byte mask; any non-zero value is foreground.</summary>
    public static void Save(string path, ReadOnlySpan<byte> mask, int width, int height)
    {
        CheckSize(path, mask.Length, width, height);
        var gray = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++) gray[i] = mask[i] != 0 ? (byte)255 : (byte)0;
        Write(path, gray, width, height);
    }

    /// <summary>Reads a mask PNG back as row-major 0/1 bytes (any non-zero gray or red value is foreground).</summary>
    public static (byte[] Mask, int Width, int Height) Load(string path)
    {
        var image = ImageCodec.Load(path, applyExifOrientation: false);
        var mask = new byte[image.Width * image.Height];
        for (int i = 0; i < mask.Length; i++) mask[i] = image.Pixels[i * 3] != 0 ? (byte)1 : (byte)0;
        return (mask, image.Width, image.Height);
    }

    private static void CheckSize(string path, int length, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (width <= 0 || height <= 0) throw new ImageFileException(path, $"invalid mask size {width}×{height}");
        if ((long)width * height != length)
        {
            throw new ImageFileException(path, $"mask has {length} values, expected {width}×{height} = {(long)width * height}");
        }
    }

    private static void Write(string path, byte[] gray, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        PngFile.Write(path, info, gray);
    }
}
