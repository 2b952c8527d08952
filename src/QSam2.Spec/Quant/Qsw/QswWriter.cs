using System.Text;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// Builds a <c>.qsw</c> in memory: add tensors in the order of the layout, then <see cref="ToArray"/>.
/// The writer only enforces container rules (unique names, data length = shape); whether the set
/// of tensors matches a segmenter's structure is checked by <see cref="QswLayout.Verify"/>.
/// </summary>
public sealed class QswWriter
{
    private readonly byte[] _structureHash;
    private readonly List<(QswTensorInfo Info, byte[] Bytes)> _tensors = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public QswWriter(byte[] structureHash)
    {
        if (structureHash is null || structureHash.Length != QswFormat.HashSize)
            throw new ArgumentException("structure hash must be 32 bytes (SHA-256)", nameof(structureHash));
        _structureHash = (byte[])structureHash.Clone();
    }

    public int Count => _tensors.Count;

    public void AddFloat32(string name, QswTensorKind kind, int[] shape, float[] data)
    {
        var bytes = new byte[data.Length * 4];
        if (BitConverter.IsLittleEndian) Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        else for (int i = 0; i < data.Length; i++) LittleEndian.WriteInt32(bytes, 4 * i, FloatBits.ToInt32(data[i]));
        Add(new QswTensorInfo(name, kind, QswDType.Float32, shape), data.Length, bytes);
    }

    public void AddInt8(string name, QswTensorKind kind, int[] shape, sbyte[] data)
    {
        var bytes = new byte[data.Length];
        Buffer.BlockCopy(data, 0, bytes, 0, data.Length);
        Add(new QswTensorInfo(name, kind, QswDType.Int8, shape), data.Length, bytes);
    }

    /// <summary>
    /// Weight codes in the code dtype of their bit-width (<see cref="QswFormat.CodeDType"/>: Int8, or packed Int4 / Int2);
    /// a code outside the dtype's range is an error naming the tensor and the element.
    /// </summary>
    public void AddWeightCodes(string name, QswDType dtype, int[] shape, sbyte[] codes)
    {
        Add(new QswTensorInfo(name, QswTensorKind.WeightCodes, dtype, shape), codes.Length, QswFormat.PackCodes(dtype, codes, name));
    }

    public void AddInt32(string name, QswTensorKind kind, int[] shape, int[] data)
    {
        var bytes = new byte[data.Length * 4];
        if (BitConverter.IsLittleEndian) Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        else for (int i = 0; i < data.Length; i++) LittleEndian.WriteInt32(bytes, 4 * i, data[i]);
        Add(new QswTensorInfo(name, kind, QswDType.Int32, shape), data.Length, bytes);
    }

    private void Add(QswTensorInfo info, long dataLength, byte[] bytes)
    {
        if (string.IsNullOrEmpty(info.Name)) throw new ArgumentException("tensor name is empty");
        if (Encoding.UTF8.GetByteCount(info.Name) > ushort.MaxValue) throw new ArgumentException($"tensor name too long: {info.Name}");
        if (info.Shape.Count > byte.MaxValue) throw new ArgumentException($"{info.Name}: rank {info.Shape.Count} too large");
        foreach (var d in info.Shape)
            if (d < 0) throw new ArgumentException($"{info.Name}: negative dimension in shape [{string.Join(",", info.Shape)}]");
        if (info.ElementCount != dataLength)
            throw new ArgumentException($"{info.Name}: shape [{string.Join(",", info.Shape)}] holds {info.ElementCount} elements but {dataLength} were given");
        if (!_names.Add(info.Name)) throw new ArgumentException($"duplicate tensor name {info.Name}");
        _tensors.Add((info, bytes));
    }

    /// <summary>The finished file: header, directory, aligned blobs, with the checksum filled in.</summary>
    public byte[] ToArray()
    {
        var directory = new MemoryStream();
        long dataOffset = QswFormat.Align(QswFormat.HeaderSize + DirectoryLength());
        long cursor = dataOffset;
        var offsets = new long[_tensors.Count];
        for (int i = 0; i < _tensors.Count; i++)
        {
            offsets[i] = cursor;
            cursor = QswFormat.Align(cursor + _tensors[i].Bytes.Length);
        }
        long fileLength = _tensors.Count == 0 ? dataOffset : offsets[_tensors.Count - 1] + _tensors[_tensors.Count - 1].Bytes.Length;
        if (fileLength > int.MaxValue) throw new InvalidOperationException(".qsw larger than 2 GiB is not supported");

        var file = new byte[fileLength];
        Buffer.BlockCopy(QswFormat.Magic, 0, file, 0, 8);
        LittleEndian.WriteInt32(file, 8, QswFormat.Version);
        LittleEndian.WriteInt32(file, 12, _tensors.Count);
        Buffer.BlockCopy(_structureHash, 0, file, QswFormat.StructureHashOffset, QswFormat.HashSize);
        LittleEndian.WriteInt64(file, 80, QswFormat.HeaderSize);
        LittleEndian.WriteInt64(file, 88, DirectoryLength());
        LittleEndian.WriteInt64(file, 96, dataOffset);
        LittleEndian.WriteInt64(file, 104, fileLength);

        int p = QswFormat.HeaderSize;
        for (int i = 0; i < _tensors.Count; i++)
        {
            var (info, bytes) = _tensors[i];
            var name = Encoding.UTF8.GetBytes(info.Name);
            LittleEndian.WriteUInt16(file, p, (ushort)name.Length);
            p += 2;
            Buffer.BlockCopy(name, 0, file, p, name.Length);
            p += name.Length;
            file[p++] = (byte)info.Kind;
            file[p++] = (byte)info.DType;
            file[p++] = (byte)info.Shape.Count;
            file[p++] = 0;
            foreach (var d in info.Shape)
            {
                LittleEndian.WriteInt32(file, p, d);
                p += 4;
            }
            LittleEndian.WriteInt64(file, p, offsets[i]);
            LittleEndian.WriteInt64(file, p + 8, bytes.Length);
            p += 16;
            Buffer.BlockCopy(bytes, 0, file, (int)offsets[i], bytes.Length);
        }

        var checksum = QswFormat.Checksum(file);
        Buffer.BlockCopy(checksum, 0, file, QswFormat.ChecksumOffset, QswFormat.HashSize);
        return file;
    }

    public void WriteTo(Stream stream)
    {
        var bytes = ToArray();
        stream.Write(bytes, 0, bytes.Length);
    }

    private long DirectoryLength()
    {
        long n = 0;
        foreach (var (info, _) in _tensors) n += 2 + Encoding.UTF8.GetByteCount(info.Name) + 4 + 4L * info.Shape.Count + 16;
        return n;
    }
}
