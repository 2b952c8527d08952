using QSam2.Runtime.Imaging;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Imaging;

public class AntialiasedResizeTests
{
    /// <summary>
    /// Independent double-precision statement of the PIL/torchvision triangle filter (sam2-architecture.md §2),
    /// written directly from the formula rather than from the implementation under test.
    /// </summary>
    private static double[] ReferenceResize1D(double[] src, int outSize)
    {
        int n = src.Length;
        double r = (double)n / outSize, support = Math.Max(r, 1);
        var result = new double[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double c = (o + 0.5) * r, sum = 0, wsum = 0;
            int lo = Math.Max(0, (int)(c - support + 0.5)), hi = Math.Min(n, (int)(c + support + 0.5));
            for (int j = lo; j < hi; j++)
            {
                double w = Math.Max(0, 1 - Math.Abs((j + 0.5 - c) / support));
                sum += w * src[j];
                wsum += w;
            }
            result[o] = sum / wsum;
        }
        return result;
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(300, 256)]
    [InlineData(200, 256)]
    [InlineData(5, 5)]
    [InlineData(13, 40)]
    public void OneAxisMatchesTheTriangleFilterFormula(int inSize, int outSize)
    {
        var rng = new Random(inSize * 1000 + outSize);
        var src = Enumerable.Range(0, inSize).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var actual = AntialiasedResize.ResizeChw(src.Select(v => (float)v).ToArray(), 1, 1, inSize, 1, outSize);
        var expected = ReferenceResize1D(src, outSize);
        for (int i = 0; i < outSize; i++) Assert.True(Math.Abs(actual[i] - expected[i]) < 1e-5, $"index {i}: {actual[i]} vs {expected[i]}");
    }

    [Fact]
    public void UpscalingIsPlainBilinearWithClampedEdges()
    {
        // 2 → 4 upscale: source positions (o + 0.5)·0.5 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped bilinear.
        var actual = AntialiasedResize.ResizeChw(new float[] { 0f, 8f }, 1, 1, 2, 1, 4);
        Assert.Equal(new[] { 0f, 2f, 6f, 8f }, actual);
    }

    [Fact]
    public void SameSizeIsIdentity()
    {
        var src = Enumerable.Range(0, 2 * 3 * 5).Select(i => (float)Math.Sin(i)).ToArray();
        Assert.Equal(src, AntialiasedResize.ResizeChw(src, 2, 3, 5, 3, 5));
    }

    [Fact]
    public void PreprocessingOfTheNonSquareFixtureImageMatchesTheOfficialCode()
    {
        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb"); // H×W×3
        var image = new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
        var expected = fx.Float("preprocessed");
        int size = fx.Shape("preprocessed")[2];

        var actual = Sam2Preprocessing.ToModelInput(image, size);

        Assert.Equal(expected.Length, actual.Length);
        double maxAbs = expected.Max(v => Math.Abs(v)), tol = 1e-4 * maxAbs + 1e-5, worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        Assert.True(worst <= tol, $"max |diff| {worst:G4} > tolerance {tol:G4}");
    }

    [Fact]
    public void RejectsMismatchedBufferLength()
    {
        var e = Assert.Throws<ArgumentException>(() => AntialiasedResize.ResizeChw(new float[5], 1, 2, 3, 4, 4));
        Assert.Contains("expected 1×2×3", e.Message);
    }
}
