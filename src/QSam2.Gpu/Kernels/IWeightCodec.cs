using ILGPU;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// How one weight bit-width is stored on the device and decoded in shared memory. Weights live column by column
/// (output channel n), K cut into blocks of <see cref="GpuWeightLayout.BlockCodes"/> codes, each block
/// <see cref="WordsPerBlock"/> 32-bit words (see <see cref="GpuWeightPacker"/> for the bit layouts). A kernel is
/// instantiated per codec (a struct type argument), so the decode is inlined and specialized at compile time.
/// </summary>
public interface IWeightCodec
{
    /// <summary>Weight bits: 2, 3, 4 or 8.</summary>
    int Bits { get; }

    /// <summary>32-bit words per block of 16 codes.</summary>
    int WordsPerBlock { get; }

    /// <summary>Codes 4j..4j+3 of the block whose first word is <paramref name="first"/>, as four signed bytes.</summary>
    int Decode(ArrayView<int> words, long first, int j);
}

/// <summary>Constants of the device weight layout.</summary>
public static class GpuWeightLayout
{
    /// <summary>Codes per block: the K step of the integer GEMM (4 dp4a words per row).</summary>
    public const int BlockCodes = 16;

    /// <summary>Per-byte <c>u − offset</c> on four offset-binary bytes (each &lt; 0x80, so no borrow crosses bytes).</summary>
    public static int SubtractOffset(int u, int offset) =>
        unchecked(((u | (int)0x80808080) - offset * 0x01010101) ^ (int)0x80808080);
}

/// <summary>8-bit: four words per block, word j = signed codes 4j..4j+3 (no decode).</summary>
public readonly struct W8Codec : IWeightCodec
{
    public int Bits => 8;
    public int WordsPerBlock => 4;
    public int Decode(ArrayView<int> words, long first, int j) => words[first + j];
}

/// <summary>4-bit offset binary: two words per block, byte i of word t = u[8t+i] | u[8t+4+i] &lt;&lt; 4.</summary>
public readonly struct W4Codec : IWeightCodec
{
    public int Bits => 4;
    public int WordsPerBlock => 2;
    public int Decode(ArrayView<int> words, long first, int j) =>
        GpuWeightLayout.SubtractOffset((words[first + (j >> 1)] >> (4 * (j & 1))) & 0x0F0F0F0F, 8);
}

/// <summary>3-bit offset binary: word 0 = low two bits in the 2-bit layout, word 1 byte i bit j = bit 2 of u[4j+i].</summary>
public readonly struct W3Codec : IWeightCodec
{
    public int Bits => 3;
    public int WordsPerBlock => 2;
    public int Decode(ArrayView<int> words, long first, int j)
    {
        int low = (words[first] >> (2 * j)) & 0x03030303;
        int high = ((words[first + 1] >> j) & 0x01010101) << 2;
        return GpuWeightLayout.SubtractOffset(low | high, 4);
    }
}

/// <summary>2-bit offset binary: one word per block, byte i = u[i] | u[i+4] &lt;&lt; 2 | u[i+8] &lt;&lt; 4 | u[i+12] &lt;&lt; 6.</summary>
public readonly struct W2Codec : IWeightCodec
{
    public int Bits => 2;
    public int WordsPerBlock => 1;
    public int Decode(ArrayView<int> words, long first, int j) =>
        GpuWeightLayout.SubtractOffset((words[first] >> (2 * j)) & 0x03030303, 2);
}
