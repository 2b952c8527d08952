using SkiaSharp;

namespace QSam2.Runtime.Imaging;

/// <summary>
/// Applies an EXIF orientation (as Skia reports it) to HWC RGB pixels, so the image comes out the way
/// viewers show it. Kept separate from decoding because the eight cases are pure index arithmetic.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>
    /// Returns the displayed image for pixels stored as <paramref name="width"/>×<paramref name="height"/>
    /// with orientation <paramref name="origin"/>. Origins 5–8 swap width and height.
    /// </summary>
    public static RgbImage Apply(byte[] stored, int width, int height, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return new RgbImage(width, height, stored);

        bool swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int outW = swaps ? height : width;
        int outH = swaps ? width : height;
        var result = new byte[stored.Length];
        for (int y = 0; y < outH; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                // (sx, sy): where the displayed pixel (x, y) is stored. Each case names where the stored
                // row 0 / column 0 end up on screen (EXIF 0x0112 semantics).
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),                  // 2: mirrored horizontally
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),  // 3: rotated 180°
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),               // 4: mirrored vertically
                    SKEncodedOrigin.LeftTop => (y, x),                               // 5: transposed
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),                 // 6: needs 90° clockwise
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),  // 7: transverse
                    SKEncodedOrigin.LeftBottom => (width - 1 - y, x),                // 8: needs 90° counter-clockwise
                    _ => (x, y),
                };
                int src = ((sy * width) + sx) * 3;
                int dst = ((y * outW) + x) * 3;
                result[dst] = stored[src];
                result[dst + 1] = stored[src + 1];
                result[dst + 2] = stored[src + 2];
            }
        }
        return new RgbImage(outW, outH, result);
    }
}
