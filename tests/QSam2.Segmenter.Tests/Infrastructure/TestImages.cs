using System.Runtime.InteropServices;
using QSam2.Runtime.Imaging;
using QSam2.Tests.Shared;
using SkiaSharp;

namespace QSam2.Segmenter.Tests.Infrastructure;

/// <summary>Image files in the formats users bring, encoded by SkiaSharp (not by the code under test).</summary>
internal static class TestImages
{
    /// <summary>The fixture image (300×200 RGB, written by PIL), as pixels.</summary>
    public static RgbImage Fixture()
    {
        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb");
        return new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
    }

    /// <summary>RGBA PNG with the given RGB and a varying (never zero) alpha, unpremultiplied.</summary>
    public static void WriteRgbaPng(string path, RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[4 * p] = image.Pixels[3 * p];
            rgba[4 * p + 1] = image.Pixels[3 * p + 1];
            rgba[4 * p + 2] = image.Pixels[3 * p + 2];
            rgba[4 * p + 3] = (byte)(64 + p % 192);
        }
        Write(path, new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, SKEncodedImageFormat.Png, 100);
    }

    /// <summary>8-bit grayscale PNG (luma of the image).</summary>
    public static byte[] WriteGrayPng(string path, RgbImage image)
    {
        var gray = new byte[image.Width * image.Height];
        for (int p = 0; p < gray.Length; p++)
        {
            gray[p] = (byte)((image.Pixels[3 * p] * 77 + image.Pixels[3 * p + 1] * 150 + image.Pixels[3 * p + 2] * 29) >> 8);
        }
        Write(path, new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque), gray, SKEncodedImageFormat.Png, 100);
        return gray;
    }

    /// <summary>Lossless WebP.</summary>
    public static void WriteLosslessWebp(string path, RgbImage image)
    {
        using var bitmap = ToBitmap(image);
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100)) ?? throw new InvalidOperationException("WebP encoding failed");
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>JPEG of <paramref name="stored"/> with an EXIF APP1 segment holding only the orientation tag.</summary>
    public static void WriteJpegWithOrientation(string path, RgbImage stored, int orientation)
    {
        using var bitmap = ToBitmap(stored);
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var jpeg = data.ToArray();
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(BitConverter.GetBytes(8u));             // IFD0 offset
        tiff.AddRange(BitConverter.GetBytes((ushort)1));      // one entry
        tiff.AddRange(BitConverter.GetBytes((ushort)0x0112)); // Orientation
        tiff.AddRange(BitConverter.GetBytes((ushort)3));      // SHORT
        tiff.AddRange(BitConverter.GetBytes(1u));             // count
        tiff.AddRange(BitConverter.GetBytes((ushort)orientation));
        tiff.AddRange(new byte[2]);
        tiff.AddRange(BitConverter.GetBytes(0u));             // no next IFD
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        int length = payload.Length + 2;
        var app1 = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        File.WriteAllBytes(path, jpeg.Take(2).Concat(app1).Concat(jpeg.Skip(2)).ToArray());
    }

    /// <summary>Nearest-neighbour upscale by an integer factor.</summary>
    public static RgbImage Upscale(RgbImage image, int factor)
    {
        int w = image.Width * factor, h = image.Height * factor;
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int s = ((y / factor) * image.Width + x / factor) * 3, d = (y * w + x) * 3;
                px[d] = image.Pixels[s];
                px[d + 1] = image.Pixels[s + 1];
                px[d + 2] = image.Pixels[s + 2];
            }
        }
        return new RgbImage(w, h, px);
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0; p < image.Width * image.Height; p++)
        {
            rgba[4 * p] = image.Pixels[3 * p];
            rgba[4 * p + 1] = image.Pixels[3 * p + 1];
            rgba[4 * p + 2] = image.Pixels[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    private static void Write(string path, SKImageInfo info, byte[] pixels, SKEncodedImageFormat format, int quality)
    {
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(format, quality) ?? throw new InvalidOperationException($"cannot encode {path}");
            File.WriteAllBytes(path, data.ToArray());
        }
        finally
        {
            handle.Free();
        }
    }
}
