namespace QSam2.Runtime.Imaging;

/// <summary>
/// An 8-bit RGB image in HWC order (row-major, 3 bytes per pixel), the layout SAM2's predictors take
/// (<c>set_image</c> receives an H×W×3 uint8 array). Width/height are the original image size that
/// masks are resized back to.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Image width in pixels (W0).</summary>
    public int Width { get; }

    /// <summary>Image height in pixels (H0).</summary>
    public int Height { get; }

    /// <summary>HWC RGB bytes: pixel (x, y) channel c is at <c>(y·Width + x)·3 + c</c>.</summary>
    public byte[] Pixels { get; }

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "image width must be positive");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "image height must be positive");
        long expected = (long)width * height * 3;
        if (pixels.LongLength != expected)
        {
            throw new ArgumentException(
                $"RGB pixel buffer has {pixels.LongLength} bytes, expected {width}×{height}×3 = {expected}", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Reads one channel value (0 = R, 1 = G, 2 = B) of pixel (x, y).</summary>
    public byte this[int x, int y, int channel] => Pixels[((y * Width) + x) * 3 + channel];
}
