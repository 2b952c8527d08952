namespace QSam2.Spec.Quant.Qsw;

/// <summary>Explicit little-endian integer IO, so the format does not depend on the host byte order.</summary>
internal static class LittleEndian
{
    public static void WriteUInt16(byte[] b, int p, ushort v)
    {
        b[p] = (byte)v;
        b[p + 1] = (byte)(v >> 8);
    }

    public static void WriteInt32(byte[] b, int p, int v)
    {
        b[p] = (byte)v;
        b[p + 1] = (byte)(v >> 8);
        b[p + 2] = (byte)(v >> 16);
        b[p + 3] = (byte)(v >> 24);
    }

    public static void WriteInt64(byte[] b, int p, long v)
    {
        WriteInt32(b, p, (int)v);
        WriteInt32(b, p + 4, (int)(v >> 32));
    }

    public static ushort ReadUInt16(byte[] b, int p) => (ushort)(b[p] | (b[p + 1] << 8));

    public static int ReadInt32(byte[] b, int p) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

    public static long ReadInt64(byte[] b, int p) => (uint)ReadInt32(b, p) | ((long)ReadInt32(b, p + 4) << 32);
}

/// <summary>float ↔ int32 bit patterns (netstandard2.0 lacks BitConverter.SingleToInt32Bits).</summary>
internal static class FloatBits
{
    public static int ToInt32(float value) => BitConverter.ToInt32(BitConverter.GetBytes(value), 0);

    public static float ToSingle(int bits) => BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);
}
