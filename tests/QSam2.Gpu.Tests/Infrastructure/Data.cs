namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>Seeded random test data.</summary>
public static class Data
{
    public static float[] Floats(Random r, int count, float scale = 1f)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return v;
    }

    public static float[] Positive(Random r, int count, float min, float max)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = min + (float)r.NextDouble() * (max - min);
        return v;
    }

    public static byte[] Codes(Random r, int count, int qmax)
    {
        var v = new byte[count];
        for (int i = 0; i < count; i++) v[i] = (byte)r.Next(qmax + 1);
        return v;
    }

    /// <summary>Weight codes over the full range of <paramref name="bits"/>, extremes included.</summary>
    public static sbyte[] WeightCodes(Random r, int count, int bits)
    {
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        var v = new sbyte[count];
        for (int i = 0; i < count; i++) v[i] = (sbyte)(i % 7 == 0 ? (i % 2 == 0 ? lo : hi) : r.Next(lo, hi + 1));
        return v;
    }
}
