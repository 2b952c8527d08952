using QSam2.Training.Evaluation;
using QSam2.Training.Training;

namespace QSam2.Training.Tests.Evaluation;

public class DistanceTransformTests
{
    [Fact]
    public void MatchesBruteForceWithTheBorderAsBackground()
    {
        var rng = new Random(11);
        int w = 23, h = 17;
        var data = new byte[w * h];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextDouble() < 0.8 ? (byte)1 : (byte)0;
        var mask = new BinaryMask(w, h, data);
        var edt = DistanceTransform.SquaredToBackground(mask);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double best = 0;
                if (data[(y * w) + x] != 0)
                {
                    best = double.MaxValue;
                    // Background = zero pixels plus the ring of pixels just outside the image.
                    for (int by = -1; by <= h; by++)
                        for (int bx = -1; bx <= w; bx++)
                        {
                            bool outside = bx < 0 || by < 0 || bx >= w || by >= h;
                            if (!outside && data[(by * w) + bx] != 0) continue;
                            best = Math.Min(best, ((double)(bx - x) * (bx - x)) + ((double)(by - y) * (by - y)));
                        }
                }
                Assert.Equal(best, edt[(y * w) + x]);
            }
    }
}
