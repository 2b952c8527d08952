using QSam2.Spec.Quant.Qsw;

namespace QSam2.GpuBench;

/// <summary>
/// Seeded timing weights for any segmenter layout (no trained sam2.1_hiera_t is available here, and the timings do not
/// depend on the values): fan-in-scaled floats, norm weights near 1, weight codes in [−2, 1] (valid at every bit width),
/// small scales, 8-bit activations over ±6.
/// </summary>
internal static class BenchWeights
{
    public static byte[] Create(QswLayout layout, int seed)
    {
        var r = new Random(seed);
        var writer = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors)
        {
            var shape = t.Shape.ToArray();
            int count = (int)t.ElementCount;
            switch (t.Kind)
            {
                case QswTensorKind.WeightCodes:
                    writer.AddWeightCodes(t.Name, t.DType, shape, Enumerable.Range(0, count).Select(_ => (sbyte)r.Next(-2, 2)).ToArray());
                    break;
                case QswTensorKind.WeightScales:
                    writer.AddFloat32(t.Name, t.Kind, shape, Enumerable.Range(0, count).Select(_ => 0.01f + 0.01f * (float)r.NextDouble()).ToArray());
                    break;
                case QswTensorKind.ActivationScale:
                    writer.AddFloat32(t.Name, t.Kind, shape, new[] { 12f / 255f });
                    break;
                case QswTensorKind.ActivationZeroPoint:
                    writer.AddInt32(t.Name, t.Kind, shape, new[] { 128 });
                    break;
                default:
                {
                    bool norm = t.Name.Contains("norm", StringComparison.Ordinal) && t.Name.EndsWith(".weight", StringComparison.Ordinal);
                    double std = t.Name.EndsWith(".bias", StringComparison.Ordinal) ? 0.02 : shape.Length > 1 ? 1 / Math.Sqrt(count / shape[0]) : 0.5;
                    writer.AddFloat32(t.Name, t.Kind, shape,
                        Enumerable.Range(0, count).Select(_ => (float)(norm ? 1 + 0.1 * (r.NextDouble() - 0.5) : std * (2 * r.NextDouble() - 1) * 1.7)).ToArray());
                    break;
                }
            }
        }
        return writer.ToArray();
    }
}
