using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>
/// Exact squared Euclidean distance transform (Felzenszwalb &amp; Huttenlocher, two 1-D lower-envelope passes):
/// for every foreground pixel, the squared distance to the nearest background pixel, where everything
/// outside the image counts as background (so objects cut by the border still get interior points away from it).
/// Background pixels get 0.
/// </summary>
public static class DistanceTransform
{
    public static double[] SquaredToBackground(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int w = mask.Width, h = mask.Height;
        // Pad by one background pixel on each side so the image border acts as background.
        int pw = w + 2, ph = h + 2;
        const double inf = 1e20;
        var grid = new double[pw * ph];
        for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++)
            {
                bool fg = x > 0 && y > 0 && x <= w && y <= h && mask.Data[((y - 1) * w) + (x - 1)] != 0;
                grid[(y * pw) + x] = fg ? inf : 0;
            }

        var f = new double[Math.Max(pw, ph)];
        var d = new double[f.Length];
        var v = new int[f.Length];
        var z = new double[f.Length + 1];
        for (int x = 0; x < pw; x++)
        {
            for (int y = 0; y < ph; y++) f[y] = grid[(y * pw) + x];
            Transform1D(f, ph, d, v, z);
            for (int y = 0; y < ph; y++) grid[(y * pw) + x] = d[y];
        }
        for (int y = 0; y < ph; y++)
        {
            Array.Copy(grid, y * pw, f, 0, pw);
            Transform1D(f, pw, d, v, z);
            Array.Copy(d, 0, grid, y * pw, pw);
        }

        var result = new double[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                result[(y * w) + x] = grid[((y + 1) * pw) + x + 1];
        return result;
    }

    // Lower envelope of the parabolas f[q] + (p − q)², evaluated at every p.
    private static void Transform1D(double[] f, int n, double[] d, int[] v, double[] z)
    {
        int k = 0;
        v[0] = 0;
        z[0] = double.NegativeInfinity;
        z[1] = double.PositiveInfinity;
        for (int q = 1; q < n; q++)
        {
            double s = Intersection(f, q, v[k]);
            // z[0] is −∞, so k never drops below 0.
            while (s <= z[k])
            {
                k--;
                s = Intersection(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (int q = 0; q < n; q++)
        {
            while (z[k + 1] < q) k++;
            double diff = q - v[k];
            d[q] = (diff * diff) + f[v[k]];
        }
    }

    private static double Intersection(double[] f, int q, int r) =>
        ((f[q] + ((double)q * q)) - (f[r] + ((double)r * r))) / (2.0 * (q - r));
}
