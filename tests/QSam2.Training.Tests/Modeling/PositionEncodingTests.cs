using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

public class PositionEncodingTests
{
    // Scalar bicubic of PyTorch (align_corners=false, a=−0.75, clamped taps), the formula of architecture doc §2.
    private static double Cubic(double x)
    {
        const double a = -0.75;
        x = Math.Abs(x);
        if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }

    private static double[,] Bicubic(double[,] src, int outH, int outW)
    {
        int inH = src.GetLength(0), inW = src.GetLength(1);
        var dst = new double[outH, outW];
        for (var oy = 0; oy < outH; oy++)
        for (var ox = 0; ox < outW; ox++)
        {
            double sy = (oy + 0.5) * inH / outH - 0.5, sx = (ox + 0.5) * inW / outW - 0.5;
            int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
            double ty = sy - y0, tx = sx - x0, acc = 0;
            for (var i = -1; i <= 2; i++)
            for (var j = -1; j <= 2; j++)
            {
                var yy = Math.Clamp(y0 + i, 0, inH - 1);
                var xx = Math.Clamp(x0 + j, 0, inW - 1);
                acc += Cubic(i - ty) * Cubic(j - tx) * src[yy, xx];
            }
            dst[oy, ox] = acc;
        }
        return dst;
    }

    [Fact]
    public void HieraPositionEmbeddingIsBicubicBackgroundPlusTiledWindow()
    {
        manual_seed(7);
        const int c = 3, h = 24, w = 16, ws = 8;
        using var bkg = randn(1, c, 7, 7);
        using var win = randn(1, c, ws, ws);
        using var pe = HieraPositionEmbedding.Compute(bkg, win, h, w);
        Assert.Equal(new long[] { 1, h, w, c }, pe.shape);
        var got = pe.contiguous().data<float>().ToArray();
        var b = bkg.data<float>().ToArray();
        var wv = win.data<float>().ToArray();
        for (var ch = 0; ch < c; ch++)
        {
            var src = new double[7, 7];
            for (var y = 0; y < 7; y++)
            for (var x = 0; x < 7; x++)
                src[y, x] = b[(ch * 7 + y) * 7 + x];
            var up = Bicubic(src, h, w);
            for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var expected = up[y, x] + wv[(ch * ws + y % ws) * ws + x % ws];
                Assert.True(Math.Abs(expected - got[(y * w + x) * c + ch]) < 1e-5, $"channel {ch} at ({y},{x})");
            }
        }
    }

    [Fact]
    public void HieraPositionEmbeddingRejectsGridsThatAreNotWindowMultiples()
    {
        using var bkg = zeros(1, 2, 7, 7);
        using var win = zeros(1, 2, 8, 8);
        var ex = Assert.Throws<ArgumentException>(() => HieraPositionEmbedding.Compute(bkg, win, 20, 16));
        Assert.Contains("20x16", ex.Message);
    }

    [Fact]
    public void RandomFourierEncodingFollowsTheFormula()
    {
        manual_seed(2);
        using var pe = new PositionEmbeddingRandom(4);
        var g = pe.GaussianMatrix.data<float>().ToArray();   // [2,4]
        using var coords = tensor(new float[] { 10.5f, 3.25f, 0f, 31f }, new long[] { 1, 2, 2 });
        using var e = pe.EncodeCoords(coords, 32, 64);        // image H=32, W=64: x / 64, y / 32
        var got = e.data<float>().ToArray();
        var pts = new[] { (10.5 / 64, 3.25 / 32), (0.0, 31.0 / 32) };
        for (var n = 0; n < 2; n++)
        for (var k = 0; k < 4; k++)
        {
            var (cx, cy) = pts[n];
            var phi = 2 * Math.PI * ((2 * cx - 1) * g[k] + (2 * cy - 1) * g[4 + k]);
            Assert.Equal(Math.Sin(phi), got[n * 8 + k], 4);
            Assert.Equal(Math.Cos(phi), got[n * 8 + 4 + k], 4);
        }
    }

    [Fact]
    public void DenseGridUsesPixelCentres()
    {
        manual_seed(4);
        using var pe = new PositionEmbeddingRandom(4);
        using var grid = pe.Grid(3, 5);                        // [8,3,5]
        using var centre = tensor(new float[] { (4 + 0.5f) / 5, (1 + 0.5f) / 3 }, new long[] { 1, 1, 2 });
        using var direct = pe.EncodeCoords(centre * tensor(new float[] { 5, 3 }), 3, 5);
        Assert.True(grid[.., 1, 4].allclose(direct[0, 0], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void SineEncodingFollowsTheFormula()
    {
        using var pe = new PositionEmbeddingSine(8);
        using var t = pe.Encode(2, 3, 5, CPU);
        Assert.Equal(new long[] { 2, 8, 3, 5 }, t.shape);
        var got = t[1].contiguous().data<float>().ToArray();
        const int d = 4;
        for (var k = 0; k < d; k++)
        {
            var omega = Math.Pow(10000, 2 * (k / 2) / (double)d);
            for (var i = 0; i < 3; i++)
            for (var j = 0; j < 5; j++)
            {
                double y = (i + 1) / (3 + 1e-6) * 2 * Math.PI / omega, x = (j + 1) / (5 + 1e-6) * 2 * Math.PI / omega;
                var ey = k % 2 == 0 ? Math.Sin(y) : Math.Cos(y);
                var ex = k % 2 == 0 ? Math.Sin(x) : Math.Cos(x);
                Assert.Equal(ey, got[(k * 3 + i) * 5 + j], 5);
                Assert.Equal(ex, got[((d + k) * 3 + i) * 5 + j], 5);
            }
        }
    }

    [Fact]
    public void RotaryEncodingRotatesXPairsByColumnAndYPairsByRow()
    {
        const int dim = 8;                                     // 4 pairs: 2 for x, 2 for y
        var (cos, sin) = RotaryEncoding.AxialTables(dim, 3, 2, 10000, CPU);
        using (cos)
        using (sin)
        {
            manual_seed(9);
            using var x = randn(1, 1, 6, dim);
            using var r = RotaryEncoding.Apply(x, cos, sin);
            var xs = x.data<float>().ToArray();
            var rs = r.data<float>().ToArray();
            for (var n = 0; n < 6; n++)
            {
                int col = n % 3, row = n / 3;
                for (var m = 0; m < 4; m++)
                {
                    var f = 1 / Math.Pow(10000, 4.0 * (m % 2) / dim);
                    var angle = (m < 2 ? col : row) * f;
                    double a = xs[n * dim + 2 * m], b = xs[n * dim + 2 * m + 1];
                    Assert.Equal(a * Math.Cos(angle) - b * Math.Sin(angle), rs[n * dim + 2 * m], 5);
                    Assert.Equal(a * Math.Sin(angle) + b * Math.Cos(angle), rs[n * dim + 2 * m + 1], 5);
                }
            }
        }
    }

    [Fact]
    public void GeluIsTheExactErfForm()
    {
        using var x = tensor(new float[] { 1f });
        // erf form: 0.841344746; tanh approximation: 0.841191990.
        Assert.Equal(0.841344746, nn.functional.gelu(x).item<float>(), 6);
    }
}
