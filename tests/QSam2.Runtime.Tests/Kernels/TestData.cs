namespace QSam2.Runtime.Tests.Kernels;

/// <summary>Seeded random inputs for kernel tests.</summary>
internal static class TestData
{
    public static float[] Floats(Random rng, int count, float scale = 1f)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return x;
    }

    public static byte[] Codes(Random rng, int count, int bits)
    {
        var x = new byte[count];
        for (int i = 0; i < count; i++) x[i] = (byte)rng.Next(0, 1 << bits);
        return x;
    }

    public static sbyte[] WeightCodes(Random rng, int count, int bits)
    {
        var x = new sbyte[count];
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        for (int i = 0; i < count; i++) x[i] = (sbyte)rng.Next(lo, hi + 1);
        return x;
    }

    /// <summary>Asserts two float arrays are identical bit for bit, reporting the first difference.</summary>
    public static void BitEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} differs: expected {expected[i]:R}, got {actual[i]:R}");
            }
        }
    }

    /// <summary>max |e − a| ≤ atol + rtol·max|e| over the whole tensor (the fixture README's rule).</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        double tol = atol + rtol * scale;
        Assert.True(worst <= tol, $"{what}: max error {worst:E3} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tol:E3}");
    }
}
