using System.Globalization;
using System.Text;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// The exact tensor directory a segmenter expects in its <c>.qsw</c>, and the structure hash that
/// stands for it. Built from the arch (canonical text) and the per-layer structural quantization;
/// it never depends on calibrated numbers, so every export of the same arch + bits layout shares it.
/// <para>For a quantized layer <c>L</c> with weight shape <c>S</c> (output axis <c>o</c>, <c>K</c> =
/// elements per output channel) the directory holds <c>L.weight</c> (codes, shape S: int8 for 8-bit weights, packed
/// int4 for 3- and 4-bit, packed int2 for 2-bit),
/// <c>L.weight_scale</c> (float32: [S[o]] per channel, [S[o], K/g] per group, [1] per tensor),
/// <c>L.input_scale</c> (float32 [1]) and <c>L.input_zero_point</c> (int32 [1]); every other tensor is
/// float32 under its official key.</para>
/// Immutable and structurally equatable.
/// </summary>
public sealed record QswLayout
{
    public const string CanonicalHeader = "qsam2-qsw-structure 1";

    /// <summary>Human name for messages, e.g. <c>sam2.1_hiera_t W4A8</c>.</summary>
    public string Description { get; init; } = "";

    /// <summary>The text hashed into <see cref="StructureHash"/>.</summary>
    public string CanonicalText { get; init; } = "";

    public EquatableArray<byte> StructureHashBytes { get; init; } = EquatableArray<byte>.Empty;

    /// <summary>Expected directory, in file order.</summary>
    public EquatableArray<QswTensorInfo> Tensors { get; init; } = EquatableArray<QswTensorInfo>.Empty;

    public byte[] StructureHash => StructureHashBytes.ToArray();

    public string StructureHashHex => Sha256.ToHex(StructureHash);

    public static QswLayout Build(string description, string archCanonicalText, IEnumerable<QswSourceTensor> sources)
    {
        var tensors = new List<QswTensorInfo>();
        var quantLines = new List<string>();
        foreach (var s in sources)
        {
            if (!s.IsQuantized)
            {
                tensors.Add(new QswTensorInfo(s.Key, QswTensorKind.Float, QswDType.Float32, s.Shape));
                if (s.Quant is { KeepFloat: true }) quantLines.Add("quant " + s.LayerName + " float");
                continue;
            }
            var q = s.Quant!;
            var layer = s.LayerName;
            tensors.Add(new QswTensorInfo(layer + ".weight", QswTensorKind.WeightCodes, QswFormat.CodeDType(q.WeightBits), s.Shape));
            tensors.Add(new QswTensorInfo(layer + ".weight_scale", QswTensorKind.WeightScales, QswDType.Float32, ScaleShape(s)));
            tensors.Add(new QswTensorInfo(layer + ".input_scale", QswTensorKind.ActivationScale, QswDType.Float32, new[] { 1 }));
            tensors.Add(new QswTensorInfo(layer + ".input_zero_point", QswTensorKind.ActivationZeroPoint, QswDType.Int32, new[] { 1 }));
            quantLines.Add("quant " + layer + " " + q.Describe());
        }

        var text = new StringBuilder();
        text.Append(CanonicalHeader).Append('\n');
        text.Append(archCanonicalText);
        foreach (var t in tensors) text.Append("tensor ").Append(t.Describe()).Append('\n');
        foreach (var l in quantLines) text.Append(l).Append('\n');
        var canonical = text.ToString();
        return new QswLayout
        {
            Description = description,
            CanonicalText = canonical,
            StructureHashBytes = Sha256.HashUtf8(canonical),
            Tensors = tensors.ToArray(),
        };
    }

    /// <summary>Scale tensor shape for a quantized weight; throws when a group does not divide the reduction size.</summary>
    public static int[] ScaleShape(QswSourceTensor s)
    {
        var q = s.Quant ?? throw new ArgumentException(s.Key + " is not quantized");
        if (s.OutputAxis < 0 || s.OutputAxis >= s.Shape.Count) throw new ArgumentException($"{s.Key}: output axis {s.OutputAxis} outside shape [{string.Join(",", s.Shape)}]");
        int outChannels = s.Shape[s.OutputAxis];
        long k = outChannels == 0 ? 0 : new QswTensorInfo(s.Key, QswTensorKind.Float, QswDType.Float32, s.Shape).ElementCount / outChannels;
        switch (q.Granularity)
        {
            case QuantGranularity.PerChannel:
                return new[] { outChannels };
            case QuantGranularity.PerTensor:
                return new[] { 1 };
            default:
                if (s.OutputAxis != 0)
                    throw new ArgumentException($"{s.Key}: per_group needs the output channels on axis 0");
                if (q.GroupSize <= 0 || k % q.GroupSize != 0)
                    throw new ArgumentException($"{s.Key}: group size {q.GroupSize} does not divide the {k} weights per output channel");
                return new[] { outChannels, (int)(k / q.GroupSize) };
        }
    }

    /// <summary>Checks that a file's directory is exactly this layout (names, kinds, dtypes, shapes; any order).</summary>
    public void Verify(QswFile file)
    {
        var expected = new Dictionary<string, QswTensorInfo>(StringComparer.Ordinal);
        foreach (var t in Tensors) expected[t.Name] = t;
        foreach (var t in file.Tensors)
        {
            if (!expected.TryGetValue(t.Name, out var e))
                throw new QswFormatException(file.Source, t.Name, $"unexpected tensor {t.Describe()} (not part of '{Description}')");
            if (!e.Equals(t))
                throw new QswFormatException(file.Source, t.Name, $"found {t.Describe()}, expected {e.Describe()}");
            expected.Remove(t.Name);
        }
        foreach (var e in Tensors)
        {
            if (expected.ContainsKey(e.Name))
                throw new QswFormatException(file.Source, e.Name, $"missing tensor {e.Describe()} required by '{Description}'");
        }
    }

    /// <summary>A short form for generated code and messages: tensor count and hash.</summary>
    public override string ToString() =>
        Description + " (" + Tensors.Count.ToString(CultureInfo.InvariantCulture) + " tensors, structure " + StructureHashHex + ")";
}
