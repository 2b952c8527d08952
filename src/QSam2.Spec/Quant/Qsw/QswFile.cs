namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// A verified <c>.qsw</c> held in memory: its directory and typed accessors for the blobs.
/// Produced only by <see cref="QswReader"/>, so every entry is known to lie inside the file.
/// </summary>
public sealed class QswFile
{
    private readonly byte[] _bytes;
    private readonly Dictionary<string, int> _index;
    private readonly long[] _offsets;

    internal QswFile(string source, byte[] bytes, byte[] structureHash, byte[] checksum, QswTensorInfo[] tensors, long[] offsets)
    {
        Source = source;
        _bytes = bytes;
        StructureHash = structureHash;
        Checksum = checksum;
        Tensors = tensors;
        _offsets = offsets;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tensors.Length; i++) _index[tensors[i].Name] = i;
    }

    /// <summary>Path or display name used in error messages.</summary>
    public string Source { get; }

    public byte[] StructureHash { get; }

    /// <summary>The payload checksum stored in (and verified against) the file.</summary>
    public byte[] Checksum { get; }

    public IReadOnlyList<QswTensorInfo> Tensors { get; }

    public bool Contains(string name) => _index.ContainsKey(name);

    public QswTensorInfo Info(string name) => Tensors[IndexOf(name)];

    public float[] Float32(string name)
    {
        int i = Expect(name, QswDType.Float32);
        var result = new float[Tensors[i].ElementCount];
        int p = (int)_offsets[i];
        if (BitConverter.IsLittleEndian) Buffer.BlockCopy(_bytes, p, result, 0, result.Length * 4);
        else for (int k = 0; k < result.Length; k++) result[k] = FloatBits.ToSingle(LittleEndian.ReadInt32(_bytes, p + 4 * k));
        return result;
    }

    public sbyte[] Int8(string name)
    {
        int i = Expect(name, QswDType.Int8);
        var result = new sbyte[Tensors[i].ElementCount];
        Buffer.BlockCopy(_bytes, (int)_offsets[i], result, 0, result.Length);
        return result;
    }

    /// <summary>Weight codes as one signed byte each, unpacked from whichever code dtype stores them (int8, int4, int2).</summary>
    public sbyte[] WeightCodes(string name)
    {
        int i = IndexOf(name);
        var dtype = Tensors[i].DType;
        if (dtype != QswDType.Int8 && dtype != QswDType.Int4 && dtype != QswDType.Int2)
            throw new QswFormatException(Source, name, $"dtype is {dtype}, expected weight codes (Int8, Int4 or Int2)");
        return QswFormat.UnpackCodes(dtype, _bytes, (int)_offsets[i], Tensors[i].ElementCount);
    }

    public int[] Int32(string name)
    {
        int i = Expect(name, QswDType.Int32);
        var result = new int[Tensors[i].ElementCount];
        int p = (int)_offsets[i];
        if (BitConverter.IsLittleEndian) Buffer.BlockCopy(_bytes, p, result, 0, result.Length * 4);
        else for (int k = 0; k < result.Length; k++) result[k] = LittleEndian.ReadInt32(_bytes, p + 4 * k);
        return result;
    }

    private int IndexOf(string name) =>
        _index.TryGetValue(name, out int i) ? i : throw new QswFormatException(Source, name, "tensor not found in the .qsw directory");

    private int Expect(string name, QswDType dtype)
    {
        int i = IndexOf(name);
        if (Tensors[i].DType != dtype)
            throw new QswFormatException(Source, name, $"dtype is {Tensors[i].DType}, expected {dtype}");
        return i;
    }
}
