namespace QSam2.Runtime.Tests.Kernels;

/// <summary>Double-precision special functions, independent of the kernels (Taylor series / continued fraction).</summary>
internal static class HighPrecision
{
    /// <summary>erf to ≈1e−13: Maclaurin series for |x| ≤ 2, Lentz continued fraction for erfc beyond.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        double r;
        if (a <= 2)
        {
            double term = a, sum = a, x2 = a * a;
            for (int n = 1; n < 80; n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // erfc(a) = exp(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + …)))))
            double f = a, c = a, d = 0, tiny = 1e-300;
            for (int n = 1; n < 200; n++)
            {
                double an = n / 2.0;
                d = a + an * d;
                d = Math.Abs(d) < tiny ? tiny : d;
                c = a + an / c;
                c = Math.Abs(c) < tiny ? tiny : c;
                d = 1 / d;
                f *= c * d;
            }
            r = 1 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));
}
