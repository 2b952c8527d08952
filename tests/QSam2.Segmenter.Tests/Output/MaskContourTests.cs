using QSam2.Segmenter.Output;

namespace QSam2.Segmenter.Tests.Output;

public class MaskContourTests
{
    private static byte[] Grid(params string[] rows) => rows.SelectMany(r => r.Select(c => c == '#' ? (byte)1 : (byte)0)).ToArray();

    private static string[] Rows(byte[] m, int w) => Enumerable.Range(0, m.Length / w)
        .Select(y => new string(m.Skip(y * w).Take(w).Select(v => v != 0 ? '#' : '.').ToArray())).ToArray();

    [Fact]
    public void OneWideContourIsTheMaskPixelsTouchingBackgroundOrBorder()
    {
        var mask = Grid(
            "......",
            ".####.",
            ".####.",
            ".####.",
            "......");
        Assert.Equal(new[]
        {
            "......",
            ".####.",
            ".#..#.",
            ".####.",
            "......",
        }, Rows(MaskContour.Find(mask, 6, 5, 1), 6));

        var full = Grid("###", "###", "###");
        Assert.Equal(new[] { "###", "#.#", "###" }, Rows(MaskContour.Find(full, 3, 3, 1), 3));
    }

    [Fact]
    public void DilationMatchesABruteForceSquareWindow()
    {
        var rng = new Random(7);
        int w = 23, h = 17;
        var src = new byte[w * h];
        for (int i = 0; i < src.Length; i++) src[i] = rng.Next(12) == 0 ? (byte)1 : (byte)0;
        for (int r = 1; r <= 3; r++)
        {
            var fast = MaskContour.Dilate(src, w, h, r);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    bool any = false;
                    for (int dy = -r; dy <= r; dy++)
                        for (int dx = -r; dx <= r; dx++)
                            any |= x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h && src[(y + dy) * w + x + dx] != 0;
                    Assert.True(any == (fast[y * w + x] != 0), $"r={r} at ({x},{y})");
                }
            }
        }
    }
}
