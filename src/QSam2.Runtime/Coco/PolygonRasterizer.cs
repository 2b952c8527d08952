using System.Collections.Immutable;

namespace QSam2.Runtime.Coco;

/// <summary>
/// Rasterizes COCO polygons exactly as pycocotools <c>rleFrPoly</c> does, so masks (and areas, IoUs)
/// agree with the official COCO tools pixel for pixel.
/// </summary>
/// <remarks>
/// The reference algorithm: vertices are scaled ×5 and rounded to integers; every edge is walked one
/// step at a time along its longer axis (a DDA; edges are always stepped from the lower end so rounding is
/// symmetric); wherever the walk crosses the line x = 5·c + 2.5 — the centre of pixel column c in the
/// ×5 grid — it records a toggle at row ceil(y), with y the boundary height scaled back, clamped to [0, H].
/// Sorting the toggles by column-major index gives the run boundaries; two toggles on one pixel cancel.
/// In effect a pixel (x, y) is inside when its centre (x + 0.5, y + 0.5) lies inside the polygon under the
/// even-odd rule, up to the ×5 quantisation of the vertices (1/5 px). Coordinates outside the image are
/// clipped. One deliberate difference: a zero-length edge (a repeated vertex) is treated as a point; the
/// reference divides 0/0 there and can emit a spurious toggle at row 0.
/// </remarks>
public static class PolygonRasterizer
{
    private const double Scale = 5;

    /// <summary>
    /// Rasterizes one polygon given as flat <c>[x0, y0, x1, y1, ...]</c> pixel coordinates (at least
    /// three vertices) into an H×W RLE mask.
    /// </summary>
    public static RleMask Rasterize(ReadOnlySpan<double> xy, int height, int width)
    {
        if (xy.Length < 6 || xy.Length % 2 != 0)
        {
            throw new ArgumentException($"a polygon needs an even number (at least 6) of coordinates, got {xy.Length}", nameof(xy));
        }

        int k = xy.Length / 2;
        var xs = new int[k + 1];
        var ys = new int[k + 1];
        for (int j = 0; j < k; j++)
        {
            xs[j] = (int)((Scale * xy[2 * j]) + 0.5);
            ys[j] = (int)((Scale * xy[(2 * j) + 1]) + 0.5);
        }

        xs[k] = xs[0];
        ys[k] = ys[0];

        // Dense boundary points in the ×5 grid, in polygon order.
        var u = new List<int>();
        var v = new List<int>();
        for (int j = 0; j < k; j++)
        {
            WalkEdge(xs[j], ys[j], xs[j + 1], ys[j + 1], u, v);
        }

        // Column-centre crossings → toggles at column-major pixel indices.
        var toggles = new List<long>();
        for (int j = 1; j < u.Count; j++)
        {
            if (u[j] == u[j - 1])
            {
                continue;
            }

            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = ((xd + 0.5) / Scale) - 0.5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > width - 1)
            {
                continue;
            }

            double yd = Math.Min(v[j], v[j - 1]);
            yd = ((yd + 0.5) / Scale) - 0.5;
            yd = Math.Ceiling(Math.Clamp(yd, 0, height));
            toggles.Add(((long)xd * height) + (long)yd);
        }

        toggles.Add((long)height * width);
        toggles.Sort();

        var counts = ImmutableArray.CreateBuilder<int>();
        long previous = 0;
        bool pendingCancel = false;
        foreach (long t in toggles)
        {
            int run = (int)(t - previous);
            previous = t;
            if (counts.Count == 0)
            {
                counts.Add(run);
            }
            else if (pendingCancel)
            {
                // The toggle before this one hit the same pixel as its predecessor: the two cancel, so this
                // run continues the last one.
                counts[^1] += run;
                pendingCancel = false;
            }
            else if (run > 0)
            {
                counts.Add(run);
            }
            else
            {
                pendingCancel = true;
            }
        }

        return new RleMask(height, width, counts.ToImmutable());
    }

    /// <summary>Rasterizes several polygons of one object and takes their union (pycocotools merge).</summary>
    public static RleMask Rasterize(IReadOnlyList<ImmutableArray<double>> polygons, int height, int width)
    {
        if (polygons.Count == 1)
        {
            return Rasterize(polygons[0].AsSpan(), height, width);
        }

        var parts = new RleMask[polygons.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Rasterize(polygons[i].AsSpan(), height, width);
        }

        return Rle.Union(parts, height, width);
    }

    private static void WalkEdge(int x0, int y0, int x1, int y1, List<int> u, List<int> v)
    {
        int dx = Math.Abs(x1 - x0), dy = Math.Abs(y1 - y0);
        if (dx == 0 && dy == 0)
        {
            u.Add(x0);
            v.Add(y0);
            return;
        }

        // Step from the lower end along the longer axis; emit the points in the edge's own direction.
        bool flip = (dx >= dy && x0 > x1) || (dx < dy && y0 > y1);
        int xs = flip ? x1 : x0, ys = flip ? y1 : y0, xe = flip ? x0 : x1, ye = flip ? y0 : y1;
        if (dx >= dy)
        {
            double s = (double)(ye - ys) / dx;
            for (int d = 0; d <= dx; d++)
            {
                int t = flip ? dx - d : d;
                u.Add(t + xs);
                v.Add((int)(ys + (s * t) + 0.5));
            }
        }
        else
        {
            double s = (double)(xe - xs) / dy;
            for (int d = 0; d <= dy; d++)
            {
                int t = flip ? dy - d : d;
                v.Add(t + ys);
                u.Add((int)(xs + (s * t) + 0.5));
            }
        }
    }
}
