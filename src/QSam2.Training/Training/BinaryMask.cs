namespace QSam2.Training.Training;

/// <summary>
/// A row-major H×W binary mask (0 = background, nonzero = foreground), the layout
/// <see cref="QSam2.Runtime.Coco.Rle"/> decodes to. Pixel (x, y) is at <c>y·Width + x</c>.
/// </summary>
public sealed class BinaryMask
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Data { get; }

    public BinaryMask(int width, int height, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"mask size {width}x{height} must be positive");
        if ((long)width * height != data.Length)
            throw new ArgumentException($"mask buffer holds {data.Length} bytes but the mask is {width}x{height}", nameof(data));
        Width = width;
        Height = height;
        Data = data;
    }

    public bool this[int x, int y] => Data[(y * Width) + x] != 0;

    /// <summary>Number of foreground pixels.</summary>
    public int Area()
    {
        int n = 0;
        foreach (var b in Data) if (b != 0) n++;
        return n;
    }

    /// <summary>
    /// Tight box of the foreground as inclusive pixel indices (torchvision <c>masks_to_boxes</c>, SAM2's
    /// <c>mask_to_box</c>), or null for an empty mask.
    /// </summary>
    public (int X0, int Y0, int X1, int Y1)? Bounds()
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < Height; y++)
        {
            int row = y * Width;
            for (int x = 0; x < Width; x++)
            {
                if (Data[row + x] == 0) continue;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                y1 = y;
            }
        }
        return x1 < 0 ? null : (x0, y0, x1, y1);
    }

    /// <summary>
    /// Nearest-neighbour resize (PyTorch <c>mode="nearest"</c>: source index <c>floor(dst·in/out)</c>),
    /// used to bring ground truth to the model input size without inventing soft labels.
    /// </summary>
    public BinaryMask ResizeNearest(int width, int height)
    {
        if (width == Width && height == Height) return this;
        var data = new byte[checked(width * height)];
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min((int)((long)y * Height / height), Height - 1);
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min((int)((long)x * Width / width), Width - 1);
                data[(y * width) + x] = Data[(sy * Width) + sx] != 0 ? (byte)1 : (byte)0;
            }
        }
        return new BinaryMask(width, height, data);
    }
}
