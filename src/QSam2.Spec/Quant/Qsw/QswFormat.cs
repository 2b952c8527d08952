namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// Constants of the <c>.qsw</c> container (version 1). Layout, all integers little-endian:
/// <code>
/// offset size  field
/// 0      8     magic "QSAM2QSW"
/// 8      4     u32 format version (1)
/// 12     4     u32 tensor count
/// 16     32    structure hash (SHA-256 of the canonical structure text, see QswLayout)
/// 48     32    payload checksum: SHA-256 of the whole file with these 32 bytes zeroed
/// 80     8     u64 directory offset (= 128)
/// 88     8     u64 directory length in bytes
/// 96     8     u64 data offset (first blob, 64-byte aligned)
/// 104    8     u64 file length
/// 112    16    reserved, zero
/// 128    ...   directory: per tensor u16 name length, UTF-8 name, u8 kind, u8 dtype, u8 rank,
///              u8 reserved (0), u32 dims[rank], u64 blob offset (absolute, 64-aligned), u64 blob length
/// ...    ...   blobs in directory order, each 64-byte aligned, zero padding between
/// </code>
/// Documented for humans in <c>specs/README.md</c>.
/// </summary>
public static class QswFormat
{
    public const int Version = 1;
    public const int HeaderSize = 128;
    public const int Alignment = 64;
    public const int HashSize = 32;
    public const int StructureHashOffset = 16;
    public const int ChecksumOffset = 48;

    /// <summary>"QSAM2QSW" in ASCII.</summary>
    public static readonly byte[] Magic = { (byte)'Q', (byte)'S', (byte)'A', (byte)'M', (byte)'2', (byte)'Q', (byte)'S', (byte)'W' };

    /// <summary>SHA-256 of the whole file with the checksum field taken as 32 zero bytes.</summary>
    public static byte[] Checksum(byte[] file)
    {
        var sha = new Sha256();
        sha.Append(file, 0, ChecksumOffset);
        sha.Append(new byte[HashSize], 0, HashSize);
        sha.Append(file, ChecksumOffset + HashSize, file.Length - ChecksumOffset - HashSize);
        return sha.Finish();
    }

    public static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    /// <summary>Bytes of a blob of <paramref name="count"/> elements (packed dtypes round up to whole bytes).</summary>
    public static long ByteLength(QswDType dtype, long count) => dtype switch
    {
        QswDType.Float32 => 4 * count,
        QswDType.Int8 => count,
        QswDType.Int32 => 4 * count,
        QswDType.Int4 => (count + 1) / 2,
        QswDType.Int2 => (count + 3) / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown .qsw dtype"),
    };

    /// <summary>How weight codes of <paramref name="bits"/> bits are stored: 2 → Int2, 3 and 4 → Int4, otherwise Int8.</summary>
    public static QswDType CodeDType(int bits) => bits switch
    {
        2 => QswDType.Int2,
        3 or 4 => QswDType.Int4,
        _ => QswDType.Int8,
    };

    /// <summary>Bits per code of a weight-code dtype: Int2 2, Int4 4, Int8 8.</summary>
    public static int CodeBits(QswDType dtype) => dtype switch
    {
        QswDType.Int2 => 2,
        QswDType.Int4 => 4,
        QswDType.Int8 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a weight-code dtype"),
    };

    /// <summary>Smallest and largest code a code dtype holds (two's complement).</summary>
    public static (int Min, int Max) CodeRange(QswDType dtype)
    {
        int bits = CodeBits(dtype);
        return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1);
    }

    /// <summary>
    /// Packs signed codes: Int4 holds two per byte (element 2i in the low nibble), Int2 four per byte (element 4i + j
    /// in bits 2j..2j+1), each in two's complement; unused high bits of the last byte are zero. Int8 is one per byte.
    /// </summary>
    public static byte[] PackCodes(QswDType dtype, sbyte[] codes, string name)
    {
        int bits = CodeBits(dtype);
        var (min, max) = CodeRange(dtype);
        int perByte = 8 / bits, mask = (1 << bits) - 1;
        var bytes = new byte[ByteLength(dtype, codes.Length)];
        for (int i = 0; i < codes.Length; i++)
        {
            int c = codes[i];
            if (c < min || c > max)
                throw new ArgumentException($"{name}: code {c} at element {i} does not fit {dtype.ToString().ToLowerInvariant()} [{min}, {max}]");
            bytes[i / perByte] |= (byte)((c & mask) << (bits * (i % perByte)));
        }
        return bytes;
    }

    /// <summary>The inverse of <see cref="PackCodes"/> for <paramref name="count"/> elements starting at <paramref name="offset"/>.</summary>
    public static sbyte[] UnpackCodes(QswDType dtype, byte[] bytes, int offset, long count)
    {
        int bits = CodeBits(dtype);
        var result = new sbyte[count];
        if (bits == 8)
        {
            Buffer.BlockCopy(bytes, offset, result, 0, result.Length);
            return result;
        }
        int perByte = 8 / bits, shift = 32 - bits;
        for (int i = 0; i < result.Length; i++)
        {
            int raw = bytes[offset + i / perByte] >> (bits * (i % perByte));
            result[i] = (sbyte)((raw << shift) >> shift);   // sign-extend the low `bits` bits
        }
        return result;
    }
}

/// <summary>What a tensor in a <c>.qsw</c> means (stored as one byte).</summary>
public enum QswTensorKind : byte
{
    /// <summary>A float tensor used as is: biases, norms, embeddings, and weights of layers kept in float.</summary>
    Float = 0,
    /// <summary>Signed integer weight codes, canonical row-major in the official weight layout.</summary>
    WeightCodes = 1,
    /// <summary>Float32 weight scales: [out] per channel, [out, K/group] per group, [1] per tensor.</summary>
    WeightScales = 2,
    /// <summary>Float32 scalar: scale of the activation entering a quantized layer.</summary>
    ActivationScale = 3,
    /// <summary>Int32 scalar: zero point of the activation entering a quantized layer.</summary>
    ActivationZeroPoint = 4,
}

/// <summary>Element type of a <c>.qsw</c> blob (stored as one byte).</summary>
public enum QswDType : byte
{
    Float32 = 1,
    Int8 = 2,
    Int32 = 3,

    /// <summary>Signed 4-bit weight codes, two per byte (3- and 4-bit weights).</summary>
    Int4 = 4,

    /// <summary>Signed 2-bit weight codes, four per byte.</summary>
    Int2 = 5,
}
