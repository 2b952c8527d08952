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

    public static int ElementSize(QswDType dtype) => dtype switch
    {
        QswDType.Float32 => 4,
        QswDType.Int8 => 1,
        QswDType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown .qsw dtype"),
    };
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
}
