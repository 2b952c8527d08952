using System.Collections.Immutable;

namespace QSam2.Runtime.Coco;

/// <summary>
/// COCO run-length encoding of binary masks (pycocotools <c>maskApi</c> semantics). Masks in this program
/// are row-major H×W bytes (0 = background, anything else = foreground, decoded as 0/1); COCO runs are
/// column-major, so encode and decode transpose on the fly.
/// </summary>
public static partial class Rle
{
    /// <summary>Encodes a row-major H×W mask (nonzero = foreground).</summary>
    public static RleMask Encode(ReadOnlySpan<byte> mask, int height, int width)
    {
        CheckSize(mask.Length, height, width, nameof(mask));
        var counts = ImmutableArray.CreateBuilder<int>();
        bool current = false;
        int run = 0;
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
            {
                bool on = mask[(y * width) + x] != 0;
                if (on != current)
                {
                    counts.Add(run);
                    run = 0;
                    current = on;
                }

                run++;
            }
        }

        counts.Add(run);
        return new RleMask(height, width, counts.ToImmutable());
    }

    /// <summary>Decodes to a new row-major H×W mask of 0/1 bytes.</summary>
    public static byte[] Decode(RleMask rle)
    {
        var mask = new byte[checked(rle.Height * rle.Width)];
        Decode(rle, mask);
        return mask;
    }

    /// <summary>Decodes into <paramref name="mask"/> (row-major H×W, overwritten with 0/1).</summary>
    public static void Decode(RleMask rle, Span<byte> mask)
    {
        int h = rle.Height;
        CheckSize(mask.Length, h, rle.Width, nameof(mask));
        mask.Clear();
        if (h == 0)
        {
            return;
        }

        int w = rle.Width;
        long index = 0; // column-major index of the first pixel of the current run
        for (int i = 0; i < rle.Counts.Length; i++)
        {
            int run = rle.Counts[i];
            if ((i & 1) == 1 && run > 0)
            {
                int x = (int)(index / h), y = (int)(index % h);
                for (int k = 0; k < run; k++)
                {
                    mask[(y * w) + x] = 1;
                    if (++y == h)
                    {
                        y = 0;
                        x++;
                    }
                }
            }

            index += run;
        }
    }

    /// <summary>Number of foreground pixels (the sum of the odd runs).</summary>
    public static long Area(RleMask rle)
    {
        long area = 0;
        for (int i = 1; i < rle.Counts.Length; i += 2)
        {
            area += rle.Counts[i];
        }

        return area;
    }

    /// <summary>
    /// The tight XYWH box of the foreground in whole pixels (a pixel at column x covers [x, x+1)); an empty
    /// mask gives (0,0,0,0). pycocotools' <c>toBbox</c> looks only at run end points, which understates the
    /// rows of a run that wraps into the next column; here such a run spans all rows, as it does in the mask.
    /// </summary>
    public static CocoBox ToBbox(RleMask rle)
    {
        int h = rle.Height;
        int xMin = int.MaxValue, xMax = -1, yMin = int.MaxValue, yMax = -1;
        long index = 0;
        for (int i = 0; i < rle.Counts.Length; i++)
        {
            int run = rle.Counts[i];
            if ((i & 1) == 1 && run > 0)
            {
                long first = index, last = index + run - 1;
                int x0 = (int)(first / h), x1 = (int)(last / h);
                int y0 = (int)(first % h), y1 = (int)(last % h);
                xMin = Math.Min(xMin, x0);
                xMax = Math.Max(xMax, x1);
                if (x0 == x1)
                {
                    yMin = Math.Min(yMin, y0);
                    yMax = Math.Max(yMax, y1);
                }
                else
                {
                    // The run covers rows y0..h-1 of column x0 and 0..y1 of column x1: row 0 and row h-1 are both in.
                    yMin = 0;
                    yMax = h - 1;
                }
            }

            index += run;
        }

        return xMax < 0 ? new CocoBox(0, 0, 0, 0) : new CocoBox(xMin, yMin, xMax - xMin + 1, yMax - yMin + 1);
    }

    /// <summary>Union of masks of one size (pixel-wise OR).</summary>
    public static RleMask Union(IReadOnlyList<RleMask> masks, int height, int width)
    {
        var buffer = new byte[checked(height * width)];
        var one = new byte[buffer.Length];
        foreach (var m in masks)
        {
            if (m.Height != height || m.Width != width)
            {
                throw new ArgumentException($"cannot merge a {m.Height}x{m.Width} mask into a {height}x{width} one", nameof(masks));
            }

            Decode(m, one);
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] |= one[i];
            }
        }

        return Encode(buffer, height, width);
    }

    private static void CheckSize(int length, int height, int width, string name)
    {
        if (height < 0 || width < 0 || (long)height * width != length)
        {
            throw new ArgumentException($"mask buffer holds {length} bytes but the mask is {height}x{width}", name);
        }
    }
}
