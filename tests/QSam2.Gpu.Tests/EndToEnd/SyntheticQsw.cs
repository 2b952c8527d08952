using QSam2.Spec.Quant.Qsw;

namespace QSam2.Gpu.Tests.EndToEnd;

/// <summary>
/// A seeded <c>.qsw</c> for any segmenter layout (sam2_mini has no trained weights in the repository yet): float tensors
/// with SAM2-like statistics (norm weights near 1, small biases, N(0, 0.5) positional embeddings, fan-in-scaled
/// weights), weight codes over the full range with scales giving fan-in-scaled weights, and activation ranges of ±6.
/// The numbers are not a trained model; both backends run the same numbers, which is what the comparison needs.
/// </summary>
internal static class SyntheticQsw
{
    public static byte[] Create(QswLayout layout, int seed)
    {
        var r = new Random(seed);
        var writer = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors)
        {
            var shape = t.Shape.ToArray();
            int count = (int)t.ElementCount;
            int fanIn = shape.Length > 1 ? count / shape[0] : 1;
            switch (t.Kind)
            {
                case QswTensorKind.WeightCodes:
                {
                    int bits = BitsOf(layout, t.Name);
                    int qmax = (1 << (bits - 1)) - 1;
                    var codes = new sbyte[count];
                    for (int i = 0; i < count; i++) codes[i] = (sbyte)Math.Clamp((int)Math.Round(Normal(r) * qmax / 2.5), -qmax - 1, qmax);
                    writer.AddWeightCodes(t.Name, t.DType, shape, codes);
                    break;
                }
                case QswTensorKind.WeightScales:
                {
                    var weight = layout.Tensors.First(x => x.Name == t.Name[..^"_scale".Length]);
                    int k = (int)(weight.ElementCount / weight.Shape[0]);
                    int qmax = (1 << (BitsOf(layout, weight.Name) - 1)) - 1;
                    // codes have std ≈ qmax / 2.5; scale so the weights have std ≈ 1/√K.
                    var scales = Enumerable.Range(0, count).Select(_ => (float)(2.5 / qmax / Math.Sqrt(k) * (0.8 + 0.4 * r.NextDouble()))).ToArray();
                    writer.AddFloat32(t.Name, t.Kind, shape, scales);
                    break;
                }
                case QswTensorKind.ActivationScale:
                    writer.AddFloat32(t.Name, t.Kind, shape, new[] { 12f / 255f });
                    break;
                case QswTensorKind.ActivationZeroPoint:
                    writer.AddInt32(t.Name, t.Kind, shape, new[] { 128 });
                    break;
                default:
                    writer.AddFloat32(t.Name, t.Kind, shape, FloatTensor(r, t.Name, count, fanIn));
                    break;
            }
        }
        return writer.ToArray();
    }

    private static float[] FloatTensor(Random r, string name, int count, int fanIn)
    {
        bool norm = name.Contains("norm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.Ordinal);
        var v = new float[count];
        for (int i = 0; i < count; i++)
        {
            double x = Normal(r);
            v[i] = (float)(name.EndsWith(".bias", StringComparison.Ordinal) ? 0.02 * x
                : norm && name.EndsWith(".weight", StringComparison.Ordinal) ? 1 + 0.1 * x
                : name.Contains("pos_embed", StringComparison.Ordinal) || name.EndsWith("no_mem_embed", StringComparison.Ordinal) ? 0.5 * x
                : name.Contains("gaussian", StringComparison.Ordinal) ? x
                : Gain(name) * x / Math.Sqrt(Math.Max(1, fanIn)));
        }
        return v;
    }

    /// <summary>
    /// Residual-branch outputs are damped and the mask hypernetwork outputs amplified, the way trained SAM2 weights
    /// behave (and as the official fixture's random-weight recipe does for the heads): a plain fan-in-scaled random
    /// network is chaotic, so that any rounding difference, even between the CPU's own AVX2 and portable kernels,
    /// would change its masks.
    /// </summary>
    private static double Gain(string name) =>
        name.Contains("output_hypernetworks_mlps", StringComparison.Ordinal) && name.EndsWith("layers.2.weight", StringComparison.Ordinal) ? 20
        : name.EndsWith("attn.proj.weight", StringComparison.Ordinal) || name.EndsWith("out_proj.weight", StringComparison.Ordinal)
          || name.EndsWith("mlp.layers.1.weight", StringComparison.Ordinal) || name.EndsWith("mlp.lin2.weight", StringComparison.Ordinal) ? 0.25
        : 1;

    /// <summary>Weight bits of a quantized layer, read from the layout's canonical text (<c>quant L wB…</c>).</summary>
    private static int BitsOf(QswLayout layout, string weightName)
    {
        string layer = weightName[..^".weight".Length];
        foreach (var line in layout.CanonicalText.Split('\n'))
        {
            if (!line.StartsWith("quant " + layer + " ", StringComparison.Ordinal)) continue;
            foreach (var bits in new[] { 8, 4, 3, 2 })
                if (line.Contains("w" + bits, StringComparison.OrdinalIgnoreCase) || line.Contains("weight_bits=" + bits, StringComparison.Ordinal)) return bits;
        }
        return 8;
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
