using System.Collections.Immutable;
using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Tests.Coco;

public class PolygonRasterizerTests
{
    [Fact]
    public void Rectangle_CoversExactlyThePixelsInside()
    {
        // Corners on pixel edges: columns 1..5 and rows 1..3 are inside, 15 pixels.
        var rle = PolygonRasterizer.Rasterize(new double[] { 1, 1, 6, 1, 6, 4, 1, 4 }, 8, 10);
        var mask = Rle.Decode(rle);
        Assert.Equal(15, rle.Area);
        for (int y = 0; y < 8; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                Assert.Equal(x is >= 1 and <= 5 && y is >= 1 and <= 3 ? 1 : 0, mask[(y * 10) + x]);
            }
        }

        Assert.Equal(new CocoBox(1, 1, 5, 3), Rle.ToBbox(rle));
    }

    [Fact]
    public void Rectangle_VertexOrderDoesNotMatter()
    {
        var clockwise = PolygonRasterizer.Rasterize(new double[] { 1, 1, 6, 1, 6, 4, 1, 4 }, 8, 10);
        var counter = PolygonRasterizer.Rasterize(new double[] { 1, 4, 6, 4, 6, 1, 1, 1 }, 8, 10);
        Assert.Equal(clockwise, counter);
    }

    [Theory]
    [InlineData(0.4, 0)] // centres 0.5 and 1.5 are inside [0.4, 2.4], 2.5 is not
    [InlineData(0.6, 1)] // centres 1.5 and 2.5 are inside [0.6, 2.6], 0.5 is not
    public void SubPixelSquare_SamplesAtPixelCentres(double offset, int first)
    {
        // Worked through the reference: the top edge of the 0.4 square runs u = 2..12 in the ×5 grid and
        // crosses the column centres u = 2.5 and 7.5 (columns 0, 1); its rows start at
        // ceil((2 + 0.5) / 5 - 0.5) = 0 and end before ceil((12 + 0.5) / 5 - 0.5) = 2.
        double a = offset, b = offset + 2;
        var mask = Rle.Decode(PolygonRasterizer.Rasterize(new[] { a, a, b, a, b, b, a, b }, 5, 5));
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                bool inside = x >= first && x < first + 2 && y >= first && y < first + 2;
                Assert.Equal(inside ? 1 : 0, mask[(y * 5) + x]);
            }
        }
    }

    [Fact]
    public void Triangle_HasItsGeometricArea()
    {
        // Legs 10 and 5: area 25. Pixel centres never fall on the hypotenuse y = 5 - x/2, and the
        // centre rule counts 5,4,4,3,3,2,2,1,1,0 pixels in columns 0..9 = 25.
        var rle = PolygonRasterizer.Rasterize(new double[] { 0, 0, 10, 0, 0, 5 }, 12, 12);
        Assert.Equal(25, rle.Area);
        var mask = Rle.Decode(rle);
        int[] perColumn = { 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0, 0 };
        for (int x = 0; x < 12; x++)
        {
            int column = 0;
            for (int y = 0; y < 12; y++)
            {
                column += mask[(y * 12) + x];
            }

            Assert.Equal(perColumn[x], column);
        }
    }

    [Fact]
    public void PolygonPartlyOutside_IsClipped()
    {
        var rle = PolygonRasterizer.Rasterize(new double[] { -3, -3, 4, -3, 4, 4, -3, 4 }, 6, 6);
        Assert.Equal(16, rle.Area);
        Assert.Equal(new CocoBox(0, 0, 4, 4), Rle.ToBbox(rle));
    }

    [Fact]
    public void SeveralPolygons_AreUnited()
    {
        var polygons = new[]
        {
            ImmutableArray.Create<double>(0, 0, 4, 0, 4, 4, 0, 4),
            ImmutableArray.Create<double>(2, 2, 6, 2, 6, 6, 2, 6),
        };
        Assert.Equal(16 + 16 - 4, PolygonRasterizer.Rasterize(polygons, 8, 8).Area);
    }

    [Fact]
    public void RepeatedVertex_IsHarmless()
    {
        var rle = PolygonRasterizer.Rasterize(new double[] { 1, 1, 6, 1, 6, 1, 6, 4, 1, 4 }, 8, 10);
        Assert.Equal(15, rle.Area);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void RandomPolygons_MatchEvenOddRuleAtPixelCentres(int seed)
    {
        // Independent reference: a pixel is inside when its centre is inside under the even-odd rule.
        // Vertices lie on the 1/5-pixel grid, so the reference's ×5 rounding is exact; pixels whose centre
        // is within 0.3 px of an edge are skipped (the reference quantises crossings to 1/5 px).
        var random = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            int h = random.Next(5, 30), w = random.Next(5, 30);
            int n = random.Next(3, 9);
            var xy = new double[2 * n];
            for (int i = 0; i < n; i++)
            {
                xy[2 * i] = random.Next(0, (5 * w) + 1) / 5.0;
                xy[(2 * i) + 1] = random.Next(0, (5 * h) + 1) / 5.0;
            }

            var mask = Rle.Decode(PolygonRasterizer.Rasterize(xy, h, w));
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    double px = x + 0.5, py = y + 0.5;
                    if (DistanceToBoundary(xy, px, py) < 0.3)
                    {
                        continue;
                    }

                    Assert.True(EvenOddInside(xy, px, py) == (mask[(y * w) + x] == 1),
                        $"trial {trial}, pixel ({x},{y}), polygon [{string.Join(", ", xy)}] on {w}x{h}");
                }
            }
        }
    }

    private static bool EvenOddInside(double[] xy, double px, double py)
    {
        int n = xy.Length / 2;
        bool inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++)
        {
            double xi = xy[2 * i], yi = xy[(2 * i) + 1], xj = xy[2 * j], yj = xy[(2 * j) + 1];
            if ((yi > py) != (yj > py) && px < ((xj - xi) * (py - yi) / (yj - yi)) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }

    private static double DistanceToBoundary(double[] xy, double px, double py)
    {
        int n = xy.Length / 2;
        double best = double.MaxValue;
        for (int i = 0, j = n - 1; i < n; j = i++)
        {
            double ax = xy[2 * j], ay = xy[(2 * j) + 1], bx = xy[2 * i], by = xy[(2 * i) + 1];
            double dx = bx - ax, dy = by - ay, len2 = (dx * dx) + (dy * dy);
            double t = len2 == 0 ? 0 : Math.Clamp((((px - ax) * dx) + ((py - ay) * dy)) / len2, 0, 1);
            double ex = ax + (t * dx) - px, ey = ay + (t * dy) - py;
            best = Math.Min(best, Math.Sqrt((ex * ex) + (ey * ey)));
        }

        return best;
    }
}
