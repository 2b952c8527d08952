using System.Collections.Immutable;
using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Tests.Coco;

public class RleTests
{
    // 3 high × 2 wide, row-major:   0 1
    //                               1 1
    //                               0 0
    // Column-major walk: col 0 = 0,1,0; col 1 = 1,1,0 → runs bg 1, fg 1, bg 1, fg 2, bg 1.
    private static readonly byte[] Mask3x2 = { 0, 1, 1, 1, 0, 0 };

    [Fact]
    public void Encode_WalksColumnsFirstAndStartsWithBackground()
    {
        var rle = Rle.Encode(Mask3x2, 3, 2);
        Assert.Equal(new[] { 1, 1, 1, 2, 1 }, rle.Counts.ToArray());
        Assert.Equal(3, rle.Area);
    }

    [Fact]
    public void Encode_MaskStartingWithForeground_HasEmptyFirstRun()
    {
        var rle = Rle.Encode(new byte[] { 1, 1, 1, 1 }, 2, 2);
        Assert.Equal(new[] { 0, 4 }, rle.Counts.ToArray());
        // 0 → '0'+0, 4 → '0'+4.
        Assert.Equal("04", Rle.ToCompressedString(rle));
    }

    [Fact]
    public void CompressedString_HandWorked3x2()
    {
        // Counts 1,1,1 are written as is ('1'); from the 4th count on the delta to two back is written:
        // 2 - 1 = 1 → '1', 1 - 1 = 0 → '0'.
        var rle = Rle.Encode(Mask3x2, 3, 2);
        Assert.Equal("11110", Rle.ToCompressedString(rle));
        Assert.Equal(rle, Rle.FromCompressedString("11110", 3, 2));
        Assert.Equal(Mask3x2, Rle.Decode(Rle.FromCompressedString("11110", 3, 2)));
    }

    [Fact]
    public void CompressedString_MultiCharacterAndNegativeDeltas()
    {
        // 100 = 0b11_00100: low 5 bits 4 with the "more" bit 0x20 → 36 + 48 = 'T', then 3 → '3'.
        // 16 = 0b10000: bit 0x10 would read as a sign, so a second group is needed: 16|0x20 = 48 → '`', then '0'.
        // 5 → '5' (third count, no delta). Fourth count 8 is written as 8 - 16 = -8: low 5 bits 11000 = 24,
        // the rest is -1 and the sign bit is set, so one character: 24 + 48 = 'H'.
        var rle = new RleMask(1, 129, ImmutableArray.Create(100, 16, 5, 8));
        Assert.Equal("T3`05H", Rle.ToCompressedString(rle));
        Assert.Equal(rle, Rle.FromCompressedString("T3`05H", 1, 129));
    }

    [Fact]
    public void UncompressedCounts_DecodeColumnMajor()
    {
        // 3 high × 2 wide; runs bg 0, fg 2, bg 4 → the first two pixels of column 0 are set.
        var rle = new RleMask(3, 2, ImmutableArray.Create(0, 2, 4));
        Assert.Equal(new byte[] { 1, 0, 1, 0, 0, 0 }, Rle.Decode(rle));
        Assert.Equal(new CocoBox(0, 0, 1, 2), Rle.ToBbox(rle));
    }

    [Fact]
    public void ToBbox_RunWrappingIntoNextColumn_CoversAllRows()
    {
        // 4 high × 3 wide: one run from (x=0, y=3) to (x=1, y=0).
        var rle = new RleMask(4, 3, ImmutableArray.Create(3, 2, 7));
        Assert.Equal(new CocoBox(0, 0, 2, 4), Rle.ToBbox(rle));
        Assert.Equal(new CocoBox(0, 0, 0, 0), Rle.ToBbox(new RleMask(4, 3, ImmutableArray.Create(12))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomMasks_RoundTripThroughCountsAndStrings(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 60; trial++)
        {
            int h = random.Next(1, 41), w = random.Next(1, 41);
            double density = random.NextDouble();
            bool blocky = random.Next(2) == 0; // long runs exercise multi-character counts
            var mask = new byte[h * w];
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = blocky
                    ? (byte)(((i / w) * 7 / h + (i % w) * 5 / w + (int)(density * 3)) % 3 == 0 ? 1 : 0)
                    : (byte)(random.NextDouble() < density ? random.Next(1, 256) : 0);
            }

            var rle = Rle.Encode(mask, h, w);
            var decoded = Rle.Decode(rle);
            Assert.Equal(mask.Select(b => b != 0 ? (byte)1 : (byte)0).ToArray(), decoded);

            string text = Rle.ToCompressedString(rle);
            Assert.All(text, c => Assert.InRange(c, '0', 'o'));
            Assert.Equal(rle, Rle.FromCompressedString(text, h, w));

            Assert.Equal(mask.Count(b => b != 0), Rle.Area(rle));
            Assert.Equal(BruteForceBox(mask, h, w), Rle.ToBbox(rle));
        }
    }

    [Fact]
    public void LargeCounts_RoundTrip()
    {
        var rle = new RleMask(1000, 1000, ImmutableArray.Create(999_000, 1, 0, 999));
        Assert.Equal(rle, Rle.FromCompressedString(Rle.ToCompressedString(rle), 1000, 1000));
    }

    [Theory]
    [InlineData("11p10", "character 2")]      // 'p' is past 'o'
    [InlineData("11 10", "character 2")]
    [InlineData("1111T", "ends inside")]      // 'T' has the more bit and nothing follows
    [InlineData("1111", "sum to 5")]    // 1,1,1 then 1+1 = 2
    [InlineData("111111", "sum to")]
    public void FromCompressedString_RejectsBadInput(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Rle.FromCompressedString(text, 3, 2));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RleMask_RejectsCountsThatDoNotCoverTheMask()
    {
        Assert.Throws<ArgumentException>(() => new RleMask(3, 2, ImmutableArray.Create(1, 1)));
        Assert.Throws<ArgumentException>(() => new RleMask(3, 2, ImmutableArray.Create(7, -1)));
        Assert.Throws<ArgumentException>(() => Rle.Encode(new byte[5], 3, 2));
    }

    [Fact]
    public void Union_IsPixelwiseOr()
    {
        var a = Rle.Encode(new byte[] { 1, 0, 0, 0, 0, 1 }, 3, 2);
        var b = Rle.Encode(new byte[] { 0, 0, 1, 0, 0, 1 }, 3, 2);
        Assert.Equal(new byte[] { 1, 0, 1, 0, 0, 1 }, Rle.Decode(Rle.Union(new[] { a, b }, 3, 2)));
    }

    private static CocoBox BruteForceBox(byte[] mask, int h, int w)
    {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                if (mask[(y * w) + x] != 0)
                {
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y);
                }
            }
        }

        return x1 < 0 ? new CocoBox(0, 0, 0, 0) : new CocoBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
