namespace QSam2.Segmenter.Output;

/// <summary>
/// The outline of a binary mask for the overlay: foreground pixels with a background 4-neighbour (or on the image
/// border), thickened by a square dilation so the line stays visible on large images. Linear time in the pixel count.
/// </summary>
public static class MaskContour
{
    /// <summary>Contour pixels (1) of a row-major 0/1 mask, <paramref name="thickness"/> pixels wide.</summary>
    public static byte[] Find(ReadOnlySpan<byte> mask, int width, int height, int thickness)
    {
        if ((long)width * height != mask.Length) throw new ArgumentException($"mask has {mask.Length} values, expected {width}×{height}", nameof(mask));
        var edge = new byte[mask.Length];
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                if (mask[row + x] == 0) continue;
                bool border = x == 0 || y == 0 || x == width - 1 || y == height - 1
                    || mask[row + x - 1] == 0 || mask[row + x + 1] == 0 || mask[row - width + x] == 0 || mask[row + width + x] == 0;
                if (border) edge[row + x] = 1;
            }
        }
        int radius = Math.Max(0, (thickness - 1) / 2);
        return radius == 0 ? edge : Dilate(edge, width, height, radius);
    }

    /// <summary>Square dilation with a (2r+1)² window: a horizontal then a vertical running-count pass.</summary>
    public static byte[] Dilate(byte[] src, int width, int height, int radius)
    {
        var horizontal = new byte[src.Length];
        for (int y = 0; y < height; y++)
        {
            int row = y * width, count = 0;
            for (int x = 0; x < Math.Min(radius, width); x++) count += src[row + x];
            for (int x = 0; x < width; x++)
            {
                if (x + radius < width) count += src[row + x + radius];
                if (x - radius - 1 >= 0) count -= src[row + x - radius - 1];
                horizontal[row + x] = count > 0 ? (byte)1 : (byte)0;
            }
        }
        var result = new byte[src.Length];
        for (int x = 0; x < width; x++)
        {
            int count = 0;
            for (int y = 0; y < Math.Min(radius, height); y++) count += horizontal[y * width + x];
            for (int y = 0; y < height; y++)
            {
                if (y + radius < height) count += horizontal[(y + radius) * width + x];
                if (y - radius - 1 >= 0) count -= horizontal[(y - radius - 1) * width + x];
                result[y * width + x] = count > 0 ? (byte)1 : (byte)0;
            }
        }
        return result;
    }
}
