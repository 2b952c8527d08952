using System.Collections.Immutable;
using System.Text;

namespace QSam2.Runtime.Coco;

public static partial class Rle
{
    // COCO's compressed "counts" string (pycocotools rleToString / rleFrString): each count is first
    // replaced by its difference to the count two places back — but only from the fourth count on
    // (index > 2, a quirk of the reference that every COCO file depends on) — then written as a signed
    // little-endian base-32 number, 5 bits per character: bit 0x20 means "more characters follow", and in
    // the last character bit 0x10 is the sign. Characters are offset by 48, so they lie in '0'..'o'.
    private const int CharOffset = 48;
    private const int MaxCharsPerCount = 13; // 13 × 5 bits covers any 64-bit value; more is corrupt input

    /// <summary>The compressed COCO string for the counts of <paramref name="rle"/>.</summary>
    public static string ToCompressedString(RleMask rle)
    {
        var counts = rle.Counts;
        var text = new StringBuilder(counts.Length * 2);
        for (int i = 0; i < counts.Length; i++)
        {
            long x = counts[i];
            if (i > 2)
            {
                x -= counts[i - 2];
            }

            bool more = true;
            while (more)
            {
                int c = (int)(x & 0x1f);
                x >>= 5; // arithmetic shift: negative deltas end at -1
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                {
                    c |= 0x20;
                }

                text.Append((char)(c + CharOffset));
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Parses a compressed COCO counts string for an H×W mask. Throws <see cref="FormatException"/> naming
    /// the character position for characters outside '0'..'o', a truncated number, a negative count, or
    /// counts that do not sum to H×W.
    /// </summary>
    public static RleMask FromCompressedString(string counts, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var result = ImmutableArray.CreateBuilder<int>();
        int p = 0;
        long sum = 0;
        while (p < counts.Length)
        {
            int start = p;
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= counts.Length)
                {
                    throw new FormatException($"RLE string ends inside the count that starts at character {start}");
                }

                int c = counts[p] - CharOffset;
                if (c < 0 || c > 0x3f)
                {
                    throw new FormatException($"RLE string has '{counts[p]}' at character {p}; only '0'..'o' are allowed");
                }

                if (k >= MaxCharsPerCount)
                {
                    throw new FormatException($"RLE string has a count longer than {MaxCharsPerCount} characters at character {start}");
                }

                x |= (long)(c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0)
                {
                    x |= -1L << (5 * k); // sign-extend the last group
                }
            }

            if (result.Count > 2)
            {
                x += result[result.Count - 2];
            }

            if (x < 0 || x > int.MaxValue)
            {
                throw new FormatException($"RLE string decodes to count {x} at character {start} (count {result.Count})");
            }

            sum += x;
            result.Add((int)x);
        }

        if (sum != (long)height * width)
        {
            throw new FormatException($"RLE counts sum to {sum} but the mask is {height}x{width} = {(long)height * width} pixels");
        }

        return new RleMask(height, width, result.ToImmutable());
    }
}
