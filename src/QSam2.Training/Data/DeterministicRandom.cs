namespace QSam2.Training.Data;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast generator whose sequence is fixed by this code
/// alone (unlike <see cref="Random"/>, whose algorithm may change between .NET versions), so a seed
/// reproduces a synthetic dataset byte for byte.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private DeterministicRandom(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>A generator with the given raw xoshiro256** state (not all zero); for reference test vectors.</summary>
    public static DeterministicRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new ArgumentException("xoshiro256** state must not be all zero");
        }

        return new DeterministicRandom(s0, s1, s2, s3);
    }

    /// <summary>An independent stream for item <paramref name="index"/> of the run seeded with <paramref name="seed"/>.</summary>
    public static DeterministicRandom ForItem(ulong seed, long index)
    {
        ulong x = seed ^ 0x5851F42D4C957F2DUL;
        ulong a = SplitMix64(ref x);
        x = a ^ unchecked((ulong)index * 0x9E3779B97F4A7C15UL);
        return new DeterministicRandom(SplitMix64(ref x));
    }

    public ulong NextUInt64()
    {
        ulong result = BitRotate(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform float in [min, max).</summary>
    public float UniformF(double min, double max) => (float)Uniform(min, max);

    /// <summary>Uniform integer in [min, maxExclusive) (unbiased: Lemire's multiply-and-reject).</summary>
    public int Next(int min, int maxExclusive)
    {
        if (maxExclusive <= min)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"empty range [{min}, {maxExclusive})");
        }

        ulong range = (ulong)((long)maxExclusive - min);
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * range;
            if ((ulong)m >= threshold)
            {
                return (int)((long)min + (long)(ulong)(m >> 64));
            }
        }
    }

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal (Box–Muller; one value per call keeps the stream simple to reason about).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double r = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>One step of SplitMix64: advances <paramref name="x"/> and returns the next output.</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));
}
