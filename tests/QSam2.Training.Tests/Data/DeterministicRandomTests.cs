using QSam2.Training.Data;

namespace QSam2.Training.Tests.Data;

public class DeterministicRandomTests
{
    [Fact]
    public void Xoshiro256StarStar_MatchesReferenceVector()
    {
        // Reference xoshiro256** from state {1, 2, 3, 4}.
        var rng = DeterministicRandom.FromState(1, 2, 3, 4);
        Assert.Equal(11520UL, rng.NextUInt64());
        Assert.Equal(0UL, rng.NextUInt64());
        Assert.Equal(1509978240UL, rng.NextUInt64());
        Assert.Equal(1215971899390074240UL, rng.NextUInt64());
    }

    [Fact]
    public void SplitMix64_MatchesReferenceVector()
    {
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, DeterministicRandom.SplitMix64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, DeterministicRandom.SplitMix64(ref state));
    }

    [Fact]
    public void SameSeed_SameStream_DifferentItems_DifferentStreams()
    {
        var a = DeterministicRandom.ForItem(42, 7);
        var b = DeterministicRandom.ForItem(42, 7);
        var c = DeterministicRandom.ForItem(42, 8);
        var d = DeterministicRandom.ForItem(43, 7);
        var sa = Enumerable.Range(0, 16).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 16).Select(_ => b.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 16).Select(_ => c.NextUInt64()));
        Assert.NotEqual(sa, Enumerable.Range(0, 16).Select(_ => d.NextUInt64()));
    }

    [Fact]
    public void Next_IsInRangeAndRoughlyUniform()
    {
        var rng = new DeterministicRandom(1);
        var histogram = new int[7];
        const int draws = 70_000;
        for (int i = 0; i < draws; i++)
        {
            int v = rng.Next(-3, 4);
            Assert.InRange(v, -3, 3);
            histogram[v + 3]++;
        }

        // Chi-square with 6 degrees of freedom: 22.5 is the 0.1 % tail.
        double expected = draws / 7.0;
        double chi2 = histogram.Sum(h => (h - expected) * (h - expected) / expected);
        Assert.True(chi2 < 22.5, $"chi-square {chi2}");

        for (int i = 0; i < 1000; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
        }
    }

    [Fact]
    public void Gaussian_HasUnitVariance()
    {
        var rng = new DeterministicRandom(3);
        var values = Enumerable.Range(0, 20_000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.InRange(values.Average(), -0.05, 0.05);
        Assert.InRange(values.Select(v => v * v).Average(), 0.95, 1.05);
    }
}
