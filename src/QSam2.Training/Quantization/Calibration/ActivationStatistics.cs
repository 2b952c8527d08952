namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// What calibration saw of one activation: exact count, mean, population standard deviation, min and max over every
/// value, and a uniform random sample of the values (for percentile and MSE searches and the activation SQNR).
/// </summary>
public sealed record ActivationStatistics(long Count, double Mean, double Std, float Min, float Max, float[] Sample)
{
    /// <summary>Statistics of an explicit set of values (tests and small tensors): the sample is all of them.</summary>
    public static ActivationStatistics Of(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("no values", nameof(values));
        double sum = 0, sumSq = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            sum += v;
            sumSq += (double)v * v;
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }
        double mean = sum / values.Length;
        return new ActivationStatistics(values.Length, mean, Math.Sqrt(Math.Max(0, (sumSq / values.Length) - (mean * mean))), min, max, (float[])values.Clone());
    }
}
