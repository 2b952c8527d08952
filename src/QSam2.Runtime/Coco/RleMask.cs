using System.Collections.Immutable;

namespace QSam2.Runtime.Coco;

/// <summary>
/// A binary mask as COCO run-length encoding: run lengths over the pixels in column-major (Fortran) order,
/// alternating background / foreground and always starting with a background run (possibly of length 0).
/// The counts sum to <see cref="Height"/> × <see cref="Width"/>; the constructor enforces it, so every
/// <see cref="RleMask"/> in the program decodes to a full mask.
/// </summary>
public sealed class RleMask : IEquatable<RleMask>
{
    public int Height { get; }

    public int Width { get; }

    /// <summary>Run lengths, background first, column-major.</summary>
    public ImmutableArray<int> Counts { get; }

    public RleMask(int height, int width, ImmutableArray<int> counts)
    {
        if (height < 0 || width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"mask size {height}x{width} is negative");
        }

        if (counts.IsDefault)
        {
            throw new ArgumentNullException(nameof(counts));
        }

        long sum = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                throw new ArgumentException($"RLE count {i} is negative ({counts[i]})", nameof(counts));
            }

            sum += counts[i];
        }

        if (sum != (long)height * width)
        {
            throw new ArgumentException(
                $"RLE counts sum to {sum} but the mask is {height}x{width} = {(long)height * width} pixels", nameof(counts));
        }

        Height = height;
        Width = width;
        Counts = counts;
    }

    /// <summary>Number of foreground pixels.</summary>
    public long Area => Rle.Area(this);

    public bool Equals(RleMask? other) =>
        other is not null && Height == other.Height && Width == other.Width && Counts.AsSpan().SequenceEqual(other.Counts.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as RleMask);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Height);
        hash.Add(Width);
        foreach (int c in Counts)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"RleMask {Height}x{Width}, {Counts.Length} runs, area {Area}";
}
