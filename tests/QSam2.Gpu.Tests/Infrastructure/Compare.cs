namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>Assertions for device results against CPU references.</summary>
public static class Compare
{
    /// <summary>Bit-identical floats on the CPU accelerator; within <paramref name="gpuTolerance"/> relative on a GPU.</summary>
    public static void Floats(float[] expected, float[] actual, string what, float gpuTolerance = 1e-5f) =>
        Close(expected, actual, what, TestDevice.Exact ? 0f : gpuTolerance);

    /// <summary>|a − e| ≤ tol·max(1, max|e|) everywhere (tol 0: bit-identical).</summary>
    public static void Close(float[] expected, float[] actual, string what, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = 1f;
        foreach (var e in expected) scale = MathF.Max(scale, MathF.Abs(e));
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = tolerance == 0f
                ? BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || expected[i] == actual[i]
                : MathF.Abs(expected[i] - actual[i]) <= tolerance * scale;
            Assert.True(ok, $"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance} × {scale})");
        }
    }

    /// <summary>Equal codes on the CPU accelerator; at most one step apart on a GPU (a .5 boundary within float rounding).</summary>
    public static void Codes(byte[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int slack = TestDevice.Exact ? 0 : 1;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= slack, $"{what}: code {i} is {actual[i]}, expected {expected[i]}");
    }
}
