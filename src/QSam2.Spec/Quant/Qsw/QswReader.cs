using System.Text;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// Reads and verifies a <c>.qsw</c>. Checks, in order: size of the header, magic, version,
/// declared lengths against the actual length (truncation), payload checksum, structure hash
/// (when an expected layout is given), then every directory entry (bounds, alignment, dtype,
/// length = shape) and, with a layout, that the directory is exactly the expected tensor list.
/// Every failure is a <see cref="QswFormatException"/> naming the file and the field.
/// </summary>
public static class QswReader
{
    /// <summary>Reads a whole stream (file IO stays with the caller: the generator links this code and may not touch files).</summary>
    public static QswFile Read(Stream stream, string source, QswLayout? expected = null)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(buffer.ToArray(), source, expected);
    }

    public static QswFile Read(byte[] bytes, string source, QswLayout? expected = null)
    {
        if (bytes.Length < QswFormat.HeaderSize)
            throw new QswFormatException(source, "header", $"file is {bytes.Length} bytes, shorter than the {QswFormat.HeaderSize}-byte header (truncated or not a .qsw)");
        for (int i = 0; i < QswFormat.Magic.Length; i++)
        {
            if (bytes[i] != QswFormat.Magic[i])
                throw new QswFormatException(source, "magic", "bad magic: expected \"QSAM2QSW\" (not a .qsw file)");
        }
        int version = LittleEndian.ReadInt32(bytes, 8);
        if (version != QswFormat.Version)
            throw new QswFormatException(source, "version", $"format version {version} is not supported (this build reads version {QswFormat.Version})");
        int count = LittleEndian.ReadInt32(bytes, 12);
        long dirOffset = LittleEndian.ReadInt64(bytes, 80);
        long dirLength = LittleEndian.ReadInt64(bytes, 88);
        long dataOffset = LittleEndian.ReadInt64(bytes, 96);
        long fileLength = LittleEndian.ReadInt64(bytes, 104);
        if (fileLength != bytes.Length)
        {
            throw new QswFormatException(source, "file_length", fileLength > bytes.Length
                ? $"header declares {fileLength} bytes but the file has {bytes.Length} (truncated)"
                : $"header declares {fileLength} bytes but the file has {bytes.Length} (trailing data)");
        }
        if (count < 0) throw new QswFormatException(source, "tensor_count", $"negative tensor count {count}");
        if (dirOffset != QswFormat.HeaderSize || dirLength < 0 || dirOffset + dirLength > dataOffset || dataOffset > fileLength)
            throw new QswFormatException(source, "directory", $"inconsistent directory offset {dirOffset} / length {dirLength} / data offset {dataOffset} for a {fileLength}-byte file");

        var stored = Slice(bytes, QswFormat.ChecksumOffset, QswFormat.HashSize);
        var actual = QswFormat.Checksum(bytes);
        if (!SameBytes(stored, actual))
            throw new QswFormatException(source, "checksum", $"payload checksum mismatch: header says {Sha256.ToHex(stored)}, content hashes to {Sha256.ToHex(actual)} (file corrupted or edited)");

        var structure = Slice(bytes, QswFormat.StructureHashOffset, QswFormat.HashSize);
        if (expected != null && !SameBytes(structure, expected.StructureHash))
        {
            throw new QswFormatException(source, "structure_hash",
                $"structure hash {Sha256.ToHex(structure)} differs from {Sha256.ToHex(expected.StructureHash)} expected by '{expected.Description}': " +
                "the .qsw was exported for another architecture or another per-layer quantization (bits, granularity, float exemptions)");
        }

        var tensors = new QswTensorInfo[count];
        var offsets = new long[count];
        int p = (int)dirOffset;
        int dirEnd = (int)(dirOffset + dirLength);
        long previousEnd = dataOffset;
        for (int t = 0; t < count; t++)
        {
            string where = "directory entry " + t;
            Need(source, where, p, 2, dirEnd);
            int nameLength = LittleEndian.ReadUInt16(bytes, p);
            p += 2;
            Need(source, where, p, nameLength + 4, dirEnd);
            string name = Encoding.UTF8.GetString(bytes, p, nameLength);
            p += nameLength;
            where = "tensor '" + name + "'";
            byte kind = bytes[p], dtype = bytes[p + 1], rank = bytes[p + 2];
            p += 4;
            if (kind > (byte)QswTensorKind.ActivationZeroPoint) throw new QswFormatException(source, where, $"unknown kind {kind}");
            if (dtype < (byte)QswDType.Float32 || dtype > (byte)QswDType.Int2) throw new QswFormatException(source, where, $"unknown dtype {dtype}");
            Need(source, where, p, 4 * rank + 16, dirEnd);
            var shape = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                shape[d] = LittleEndian.ReadInt32(bytes, p + 4 * d);
                if (shape[d] < 0) throw new QswFormatException(source, where, $"negative dimension {shape[d]} at axis {d}");
            }
            p += 4 * rank;
            long offset = LittleEndian.ReadInt64(bytes, p);
            long length = LittleEndian.ReadInt64(bytes, p + 8);
            p += 16;
            var info = new QswTensorInfo(name, (QswTensorKind)kind, (QswDType)dtype, shape);
            if (length != info.ByteLength)
                throw new QswFormatException(source, where, $"blob length {length} does not match shape [{string.Join(",", shape)}] of {dtype} ({info.ByteLength} bytes)");
            if (offset % QswFormat.Alignment != 0 || offset < previousEnd || offset + length > fileLength)
                throw new QswFormatException(source, where, $"blob at offset {offset} (length {length}) is misaligned, overlaps the previous blob or runs past the end of the {fileLength}-byte file");
            previousEnd = offset + length;
            tensors[t] = info;
            offsets[t] = offset;
        }
        if (p != dirEnd) throw new QswFormatException(source, "directory", $"directory length {dirLength} does not match its {count} entries");

        var file = new QswFile(source, bytes, structure, stored, tensors, offsets);
        expected?.Verify(file);
        return file;
    }

    private static void Need(string source, string where, int p, int size, int end)
    {
        if (p + size > end) throw new QswFormatException(source, where, "directory entry runs past the end of the directory (truncated)");
    }

    private static byte[] Slice(byte[] b, int offset, int length)
    {
        var r = new byte[length];
        Buffer.BlockCopy(b, offset, r, 0, length);
        return r;
    }

    internal static bool SameBytes(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
        return true;
    }
}
