using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

/// <summary>Tolerance checks in the fixture README's form: max|a−e| ≤ rel·max|e| + abs.</summary>
internal static class TensorAssert
{
    public static void Close(float[] expected, int[] expectedShape, Tensor actual, string name, double rel = 1e-4, double abs = 1e-5)
    {
        var actualShape = actual.shape.Select(d => (int)d).ToArray();
        Assert.True(expectedShape.SequenceEqual(actualShape),
            $"{name}: shape [{string.Join(",", actualShape)}] differs from expected [{string.Join(",", expectedShape)}]");
        using var host = actual.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var a = host.data<float>().ToArray();
        Close(expected, a, name, rel, abs);
    }

    public static void Close(float[] expected, float[] actual, string name, double rel = 1e-4, double abs = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxRef = 0, maxErr = 0;
        var worst = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
            var err = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(err) || err > maxErr)
            {
                maxErr = double.IsNaN(err) ? double.PositiveInfinity : err;
                worst = i;
            }
        }
        var tol = rel * maxRef + abs;
        Assert.True(maxErr <= tol,
            $"{name}: max |error| {maxErr:E3} > tolerance {tol:E3} (max |expected| {maxRef:E3}); worst at flat index {worst}: expected {(worst >= 0 ? expected[worst] : 0)}, got {(worst >= 0 ? actual[worst] : 0)}");
    }
}
