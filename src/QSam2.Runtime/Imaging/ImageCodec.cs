using System.Runtime.InteropServices;
using SkiaSharp;

namespace QSam2.Runtime.Imaging;

/// <summary>
/// Reads PNG/JPEG/WebP/BMP/GIF files into <see cref="RgbImage"/> the way SAM2 users do in Python
/// (<c>np.array(Image.open(p).convert("RGB"))</c>): grayscale is replicated to three channels and alpha
/// is dropped (not composited), and no ICC colour conversion is applied. Unlike PIL's plain <c>open</c>,
/// the EXIF orientation is applied by default, because a rotated phone photo is what users expect to
/// prompt on; pass <c>applyExifOrientation: false</c> for the raw stored pixels.
/// </summary>
public static class ImageCodec
{
    /// <summary>Largest accepted image (pixels): keeps the HWC buffer within one .NET array.</summary>
    public const long MaxPixels = 256L * 1024 * 1024;

    /// <summary>Loads an image file. Throws <see cref="ImageFileException"/> naming the file on any problem.</summary>
    public static RgbImage Load(string path, bool applyExifOrientation = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new ImageFileException(path, "is a directory, not an image file");
        if (!File.Exists(path)) throw new ImageFileException(path, "image file not found");
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFileException(path, "cannot read image file: " + e.Message, e);
        }
        return Decode(data, path, applyExifOrientation);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="sourceName"/> is used in error messages.</summary>
    public static RgbImage Decode(byte[] data, string sourceName, bool applyExifOrientation = true)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0) throw new ImageFileException(sourceName, "file is empty, not an image");

        using var skData = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(skData);
        if (codec is null)
        {
            throw new ImageFileException(sourceName, "not a recognised image (expected PNG, JPEG, WebP, BMP or GIF)");
        }
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0) throw new ImageFileException(sourceName, $"invalid image size {width}×{height}");
        if ((long)width * height > MaxPixels)
        {
            throw new ImageFileException(sourceName, $"image is {width}×{height}, more than {MaxPixels} pixels");
        }

        // Unpremultiplied RGBA with no colour space: Skia then copies the stored values unchanged
        // (gray → R=G=B, alpha kept separate) and we drop alpha below, as PIL's convert("RGB") does.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[(long)width * height * 4];
        SKCodecResult result;
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result == SKCodecResult.IncompleteInput || result == SKCodecResult.ErrorInInput)
        {
            throw new ImageFileException(sourceName, $"image data is truncated or corrupt (decoder: {result})");
        }
        if (result != SKCodecResult.Success)
        {
            throw new ImageFileException(sourceName, $"cannot decode image (decoder: {result})");
        }

        var rgb = new byte[(long)width * height * 3];
        for (long p = 0, n = (long)width * height; p < n; p++)
        {
            rgb[p * 3] = rgba[p * 4];
            rgb[p * 3 + 1] = rgba[p * 4 + 1];
            rgb[p * 3 + 2] = rgba[p * 4 + 2];
        }
        return applyExifOrientation
            ? ExifOrientation.Apply(rgb, width, height, codec.EncodedOrigin)
            : new RgbImage(width, height, rgb);
    }

    /// <summary>Writes an RGB image as an 8-bit PNG (temporary file, then rename: no partial output).</summary>
    public static void SavePng(RgbImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = new byte[(long)image.Width * image.Height * 4];
        for (long p = 0, n = (long)image.Width * image.Height; p < n; p++)
        {
            rgba[p * 4] = image.Pixels[p * 3];
            rgba[p * 4 + 1] = image.Pixels[p * 3 + 1];
            rgba[p * 4 + 2] = image.Pixels[p * 3 + 2];
            rgba[p * 4 + 3] = 255;
        }
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        PngFile.Write(path, info, rgba);
    }
}
