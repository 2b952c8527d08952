namespace QSam2.Training.Tests.Inference;

/// <summary>fixture-a's comparison rule (README "How to compare"): max|a − e| ≤ 1e-4·max|e| + 1e-5 per tensor.</summary>
internal static class FixtureAssert
{
    public static double Tolerance(float[] expected) => 1e-4 * expected.Max(v => Math.Abs(v)) + 1e-5;

    public static void Close(float[] expected, float[] actual, string name)
    {
        Assert.True(expected.Length == actual.Length, $"{name}: {actual.Length} values, expected {expected.Length}");
        double tol = Tolerance(expected), worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            if (d > worst || double.IsNaN(d)) { worst = double.IsNaN(d) ? double.PositiveInfinity : d; at = i; }
        }
        Assert.True(worst <= tol, $"{name}: max |diff| {worst:G4} at flat index {at} exceeds tolerance {tol:G4}");
    }
}
