namespace QSam2.Runtime.Segmenters;

/// <summary>Hex decoding for constants in generated code (structure hashes).</summary>
public static class Hex
{
    public static byte[] Decode(string hex) => Convert.FromHexString(hex);
}
