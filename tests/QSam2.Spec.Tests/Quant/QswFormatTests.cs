using QSam2.Spec.Model;
using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Spec.Tests.Quant;

public class QswFormatTests
{
    private static readonly QswSourceTensor[] Sources =
    {
        new("layer.a.weight", new[] { 4, 6 }, new ResolvedLayerQuant(false, 4, QuantGranularity.PerChannel, 0, 8)),
        new("layer.a.bias", new[] { 4 }),
        new("layer.b.weight", new[] { 2, 8 }, new ResolvedLayerQuant(false, 2, QuantGranularity.PerGroup, 4, 8)),
        new("layer.c.weight", new[] { 3, 2 }, ResolvedLayerQuant.Float),
        new("norm.weight", new[] { 6 }),
    };

    private static QswLayout Layout() => QswLayout.Build("test W4A8", "arch=test\n", Sources);

    private static byte[] WriteValid(QswLayout layout, Action<QswWriter>? extra = null)
    {
        var w = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors)
        {
            var shape = t.Shape.ToArray();
            int n = (int)t.ElementCount;
            switch (t.DType)
            {
                case QswDType.Float32: w.AddFloat32(t.Name, t.Kind, shape, Enumerable.Range(0, n).Select(i => i * 0.5f - 1).ToArray()); break;
                case QswDType.Int8 or QswDType.Int4 or QswDType.Int2:
                    var (lo, hi) = QswFormat.CodeRange(t.DType);
                    w.AddWeightCodes(t.Name, t.DType, shape, Enumerable.Range(0, n).Select(i => (sbyte)(lo + i % (hi - lo + 1))).ToArray());
                    break;
                default: w.AddInt32(t.Name, t.Kind, shape, Enumerable.Range(0, n).Select(i => i - 5).ToArray()); break;
            }
        }
        extra?.Invoke(w);
        return w.ToArray();
    }

    [Fact]
    public void Layout_ListsCodesScalesAndActivationParamsPerQuantizedLayer()
    {
        var names = Layout().Tensors.Select(t => t.Describe()).ToArray();
        Assert.Equal(new[]
        {
            "layer.a.weight WeightCodes int4 [4,6]",
            "layer.a.weight_scale WeightScales float32 [4]",
            "layer.a.input_scale ActivationScale float32 [1]",
            "layer.a.input_zero_point ActivationZeroPoint int32 [1]",
            "layer.a.bias Float float32 [4]",
            "layer.b.weight WeightCodes int2 [2,8]",
            "layer.b.weight_scale WeightScales float32 [2,2]",
            "layer.b.input_scale ActivationScale float32 [1]",
            "layer.b.input_zero_point ActivationZeroPoint int32 [1]",
            "layer.c.weight Float float32 [3,2]",
            "norm.weight Float float32 [6]",
        }, names);
    }

    [Fact]
    public void StructureHash_DependsOnBitsAndArchButNotOnCalibratedNumbers()
    {
        var a = Layout();
        Assert.Equal(a.StructureHashHex, QswLayout.Build("other description", "arch=test\n", Sources).StructureHashHex);
        var otherBits = Sources.Select(s => s.Key == "layer.a.weight" ? s with { Quant = s.Quant! with { WeightBits = 3 } } : s);
        Assert.NotEqual(a.StructureHashHex, QswLayout.Build("x", "arch=test\n", otherBits).StructureHashHex);
        var otherActBits = Sources.Select(s => s.Key == "layer.a.weight" ? s with { Quant = s.Quant! with { ActivationBits = 4 } } : s);
        Assert.NotEqual(a.StructureHashHex, QswLayout.Build("x", "arch=test\n", otherActBits).StructureHashHex);
        Assert.NotEqual(a.StructureHashHex, QswLayout.Build("x", "arch=test2\n", Sources).StructureHashHex);
    }

    [Fact]
    public void RoundTrip_PreservesEveryTensorAndAlignsBlobs()
    {
        var layout = Layout();
        var bytes = WriteValid(layout);
        var file = QswReader.Read(bytes, "t.qsw", layout);
        Assert.Equal(layout.StructureHash, file.StructureHash);
        Assert.Equal(layout.Tensors.ToArray(), file.Tensors.ToArray());
        Assert.Equal(new[] { 0f, 0.5f, 1f, 1.5f }.Select(v => v - 1), file.Float32("layer.a.bias"));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (sbyte)(-8 + i % 16)), file.WeightCodes("layer.a.weight"));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (sbyte)(-2 + i % 4)), file.WeightCodes("layer.b.weight"));
        Assert.Equal(12, file.Info("layer.a.weight").ByteLength);
        Assert.Equal(4, file.Info("layer.b.weight").ByteLength);
        Assert.Equal(new[] { -5 }, file.Int32("layer.b.input_zero_point"));
        // Blob offsets in the directory are 64-byte aligned: check via the first blob's start.
        long dataOffset = BitConverter.ToInt64(bytes, 96);
        Assert.Equal(0, dataOffset % 64);
        Assert.Equal(bytes.Length, BitConverter.ToInt64(bytes, 104));
    }

    [Fact]
    public void Writer_IsDeterministic()
    {
        Assert.Equal(WriteValid(Layout()), WriteValid(Layout()));
    }

    [Fact]
    public void Rejects_BadMagic()
    {
        var bytes = WriteValid(Layout());
        bytes[0] = (byte)'X';
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(bytes, "bad.qsw"));
        Assert.Equal("magic", e.Field);
        Assert.StartsWith("bad.qsw: magic:", e.Message);
    }

    [Fact]
    public void Rejects_UnsupportedVersion()
    {
        var bytes = WriteValid(Layout());
        bytes[8] = 9;
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(bytes, "v.qsw"));
        Assert.Equal("version", e.Field);
        Assert.Contains("9", e.Message);
    }

    [Fact]
    public void Rejects_Truncation()
    {
        var bytes = WriteValid(Layout());
        var cut = bytes.Take(bytes.Length - 10).ToArray();
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(cut, "cut.qsw"));
        Assert.Contains("truncated", e.Message);
        var tiny = bytes.Take(20).ToArray();
        Assert.Contains("truncated", Assert.Throws<QswFormatException>(() => QswReader.Read(tiny, "tiny.qsw")).Message);
    }

    [Fact]
    public void Rejects_ChecksumMismatch_WhenPayloadByteChanges()
    {
        var bytes = WriteValid(Layout());
        bytes[bytes.Length - 1] ^= 1;
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(bytes, "edit.qsw"));
        Assert.Equal("checksum", e.Field);
        Assert.Contains("edit.qsw", e.Message);
    }

    [Fact]
    public void Rejects_StructureOfAnotherSegmenter()
    {
        var layout = Layout();
        var bytes = WriteValid(layout);
        var other = QswLayout.Build("test W3A8", "arch=test\n",
            Sources.Select(s => s.Key == "layer.a.weight" ? s with { Quant = s.Quant! with { WeightBits = 3 } } : s));
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(bytes, "w4.qsw", other));
        Assert.Equal("structure_hash", e.Field);
        Assert.Contains("test W3A8", e.Message);
    }

    [Fact]
    public void Rejects_DirectoryThatDiffersFromLayout_EvenWithMatchingHash()
    {
        var layout = Layout();
        // Same hash, one extra tensor: the directory check catches writers that lie about their structure.
        var bytes = WriteValid(layout, w => w.AddFloat32("stray", QswTensorKind.Float, new[] { 1 }, new[] { 1f }));
        var e = Assert.Throws<QswFormatException>(() => QswReader.Read(bytes, "stray.qsw", layout));
        Assert.Equal("stray", e.Field);

        var w2 = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors.Skip(1))
        {
            if (t.DType == QswDType.Float32) w2.AddFloat32(t.Name, t.Kind, t.Shape.ToArray(), new float[t.ElementCount]);
            else if (t.Kind == QswTensorKind.WeightCodes) w2.AddWeightCodes(t.Name, t.DType, t.Shape.ToArray(), new sbyte[t.ElementCount]);
            else w2.AddInt32(t.Name, t.Kind, t.Shape.ToArray(), new int[t.ElementCount]);
        }
        var missing = Assert.Throws<QswFormatException>(() => QswReader.Read(w2.ToArray(), "missing.qsw", layout));
        Assert.Equal("layer.a.weight", missing.Field);
        Assert.Contains("missing", missing.Message);
    }

    [Fact]
    public void Writer_RejectsShapeDataMismatchAndDuplicates()
    {
        var w = new QswWriter(new byte[32]);
        Assert.Throws<ArgumentException>(() => w.AddFloat32("a", QswTensorKind.Float, new[] { 2, 2 }, new float[3]));
        w.AddFloat32("a", QswTensorKind.Float, new[] { 1 }, new float[1]);
        Assert.Throws<ArgumentException>(() => w.AddFloat32("a", QswTensorKind.Float, new[] { 1 }, new float[1]));
    }

    [Fact]
    public void WrongDtypeAccess_NamesTheTensor()
    {
        var layout = Layout();
        var file = QswReader.Read(WriteValid(layout), "t.qsw", layout);
        var e = Assert.Throws<QswFormatException>(() => file.Float32("layer.a.weight"));
        Assert.Equal("layer.a.weight", e.Field);
        Assert.Throws<QswFormatException>(() => file.Float32("nope"));
    }

    [Fact]
    public void ScaleShape_RejectsGroupThatDoesNotDivide()
    {
        var s = new QswSourceTensor("x.weight", new[] { 4, 6 }, new ResolvedLayerQuant(false, 4, QuantGranularity.PerGroup, 4, 8));
        Assert.Throws<ArgumentException>(() => QswLayout.ScaleShape(s));
        Assert.Equal(new[] { 4, 3 }, QswLayout.ScaleShape(s with { Quant = s.Quant! with { GroupSize = 2 } }));
        var convT = new QswSourceTensor("t.weight", new[] { 8, 4, 2, 2 }, new ResolvedLayerQuant(false, 8, QuantGranularity.PerChannel, 0, 8), OutputAxis: 1);
        Assert.Equal(new[] { 4 }, QswLayout.ScaleShape(convT));
    }

    [Fact]
    public void CodeDType_PacksByBitWidth()
    {
        Assert.Equal(QswDType.Int2, QswFormat.CodeDType(2));
        Assert.Equal(QswDType.Int4, QswFormat.CodeDType(3));
        Assert.Equal(QswDType.Int4, QswFormat.CodeDType(4));
        Assert.Equal(QswDType.Int8, QswFormat.CodeDType(8));
    }

    /// <summary>Byte layouts worked out by hand: Int4 element 2i in the low nibble, Int2 element 4i + j in bits 2j..2j+1.</summary>
    [Fact]
    public void PackedCodes_HaveTheDocumentedByteLayout()
    {
        // Int4: (1, -1) → 0x1 | 0xF << 4 = 0xF1; (-8, 7) → 0x8 | 0x7 << 4 = 0x78; odd tail (3) → 0x03.
        Assert.Equal(new byte[] { 0xF1, 0x78, 0x03 }, QswFormat.PackCodes(QswDType.Int4, new sbyte[] { 1, -1, -8, 7, 3 }, "t"));
        // Int2: (1, -2, 0, -1) → 0b01 | 0b10 << 2 | 0b00 << 4 | 0b11 << 6 = 0xC9; tail (-1) → 0x03.
        Assert.Equal(new byte[] { 0xC9, 0x03 }, QswFormat.PackCodes(QswDType.Int2, new sbyte[] { 1, -2, 0, -1, -1 }, "t"));
        Assert.Equal(new sbyte[] { 1, -1, -8, 7, 3 }, QswFormat.UnpackCodes(QswDType.Int4, new byte[] { 0xF1, 0x78, 0x03 }, 0, 5));
        Assert.Equal(new sbyte[] { 1, -2, 0, -1, -1 }, QswFormat.UnpackCodes(QswDType.Int2, new byte[] { 0xC9, 0x03 }, 0, 5));
    }

    [Theory]
    [InlineData(QswDType.Int2)]
    [InlineData(QswDType.Int4)]
    [InlineData(QswDType.Int8)]
    public void PackedCodes_RoundTripEveryCodeAtEveryPosition(QswDType dtype)
    {
        var (lo, hi) = QswFormat.CodeRange(dtype);
        var rng = new Random(5);
        for (int n = 0; n < 40; n++)
        {
            var codes = Enumerable.Range(0, n).Select(_ => (sbyte)rng.Next(lo, hi + 1)).ToArray();
            var packed = QswFormat.PackCodes(dtype, codes, "t");
            Assert.Equal(QswFormat.ByteLength(dtype, n), packed.Length);
            Assert.Equal(codes, QswFormat.UnpackCodes(dtype, packed, 0, n));
        }
    }

    [Fact]
    public void Writer_RejectsACodeOutsideItsDType_NamingTensorAndElement()
    {
        var w = new QswWriter(new byte[32]);
        var e = Assert.Throws<ArgumentException>(() => w.AddWeightCodes("layer.a.weight", QswDType.Int4, new[] { 3 }, new sbyte[] { 0, 8, 0 }));
        Assert.Contains("layer.a.weight", e.Message);
        Assert.Contains("element 1", e.Message);
        Assert.Throws<ArgumentException>(() => w.AddWeightCodes("b", QswDType.Int2, new[] { 1 }, new sbyte[] { -3 }));
    }
}
