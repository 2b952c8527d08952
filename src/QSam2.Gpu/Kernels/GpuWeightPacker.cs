using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Host-side repacking of canonical weight codes (<see cref="QuantizedWeights"/>, exactly what a <c>.qsw</c> holds)
/// into the device layout the <see cref="IWeightCodec"/>s decode, plus the per-(channel, group) code sums the
/// zero-point correction needs (<c>acc = Σ a·w − zp_a·Σ w</c>, docs/quantization.md §6). Done once per layer at load.
/// <para>Layout: column n, block b (codes k = 16b..16b+15, zero beyond K) at word <c>(n·Blocks + b)·WordsPerBlock</c>.
/// 2/3/4-bit codes are stored offset binary <c>u = q + 2^(b−1)</c>; 8-bit codes as signed bytes. 3-bit codes take two
/// words per block (4 bits per code in memory) so that every block stays word aligned.</para>
/// </summary>
public sealed class GpuWeightPacker
{
    private GpuWeightPacker(int bits, int n, int k, int groupSize, int[] words, int[] sums, float[] scales)
    {
        Bits = bits;
        N = n;
        K = k;
        GroupSize = groupSize;
        Words = words;
        Sums = sums;
        Scales = scales;
    }

    public int Bits { get; }
    public int N { get; }
    public int K { get; }

    /// <summary>K for per-channel weights, G for per-group.</summary>
    public int GroupSize { get; }

    public int Groups => K / GroupSize;

    /// <summary>Blocks of 16 codes per column: ⌈K / 16⌉.</summary>
    public int Blocks => (K + GpuWeightLayout.BlockCodes - 1) / GpuWeightLayout.BlockCodes;

    /// <summary>Packed codes, <c>N · Blocks · WordsPerBlock</c> words.</summary>
    public int[] Words { get; }

    /// <summary>Σ_k q[n, k] over each group, <c>[N, Groups]</c>.</summary>
    public int[] Sums { get; }

    /// <summary>Scales <c>[N, Groups]</c>.</summary>
    public float[] Scales { get; }

    public static int WordsPerBlock(int bits) => bits switch
    {
        8 => 4,
        4 => 2,
        3 => 2,
        2 => 1,
        _ => throw new ArgumentException($"weight bits {bits} not supported (2, 3, 4 or 8)", nameof(bits)),
    };

    /// <summary>
    /// Packs <paramref name="w"/>. Per-group weights need a group size that is a multiple of 16 (the GEMM's K step), the
    /// same rule as the CPU's AVX2 panels; <paramref name="layer"/> names the layer in the error.
    /// </summary>
    public static GpuWeightPacker Pack(QuantizedWeights w, string layer)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.PerGroup && w.GroupSize % GpuWeightLayout.BlockCodes != 0)
            throw new ArgumentException($"{layer}: per-group size {w.GroupSize} is not a multiple of {GpuWeightLayout.BlockCodes}, which the GPU integer GEMM needs");
        int n = w.N, k = w.K, bits = w.Bits, wpb = WordsPerBlock(bits);
        int blocks = (k + GpuWeightLayout.BlockCodes - 1) / GpuWeightLayout.BlockCodes;
        var words = new int[(long)n * blocks * wpb];
        Span<int> u = stackalloc int[GpuWeightLayout.BlockCodes];
        int offset = bits == 8 ? 0 : 1 << (bits - 1);
        for (int col = 0; col < n; col++)
        {
            for (int b = 0; b < blocks; b++)
            {
                for (int i = 0; i < GpuWeightLayout.BlockCodes; i++)
                {
                    int kk = b * GpuWeightLayout.BlockCodes + i;
                    // Padding codes decode to 0: offset binary of 0 is the offset itself.
                    u[i] = (kk < k ? w.Codes[(long)col * k + kk] : 0) + offset;
                }
                PackBlock(bits, u, words.AsSpan((int)(((long)col * blocks + b) * wpb), wpb));
            }
        }

        int groups = w.Groups, g = w.GroupSize;
        var sums = new int[n * groups];
        for (int col = 0; col < n; col++)
            for (int gi = 0; gi < groups; gi++)
            {
                int s = 0;
                for (int kk = gi * g; kk < (gi + 1) * g; kk++) s += w.Codes[(long)col * k + kk];
                sums[col * groups + gi] = s;
            }
        return new GpuWeightPacker(bits, n, k, g, words, sums, (float[])w.Scales.Clone());
    }

    /// <summary>One block of 16 offset-binary (or, for 8 bits, two's-complement byte) codes into its words.</summary>
    private static void PackBlock(int bits, ReadOnlySpan<int> u, Span<int> words)
    {
        switch (bits)
        {
            case 8:
                for (int j = 0; j < 4; j++)
                    words[j] = (u[4 * j] & 0xFF) | (u[4 * j + 1] & 0xFF) << 8 | (u[4 * j + 2] & 0xFF) << 16 | (u[4 * j + 3] & 0xFF) << 24;
                break;
            case 4:
                for (int t = 0; t < 2; t++)
                {
                    int word = 0;
                    for (int i = 0; i < 4; i++) word |= (u[8 * t + i] | u[8 * t + 4 + i] << 4) << (8 * i);
                    words[t] = word;
                }
                break;
            case 3:
            {
                int low = 0, high = 0;
                for (int i = 0; i < 4; i++)
                {
                    low |= ((u[i] & 3) | (u[i + 4] & 3) << 2 | (u[i + 8] & 3) << 4 | (u[i + 12] & 3) << 6) << (8 * i);
                    for (int j = 0; j < 4; j++) high |= ((u[4 * j + i] >> 2) & 1) << (8 * i + j);
                }
                words[0] = low;
                words[1] = high;
                break;
            }
            case 2:
            {
                int word = 0;
                for (int i = 0; i < 4; i++) word |= (u[i] | u[i + 4] << 2 | u[i + 8] << 4 | u[i + 12] << 6) << (8 * i);
                words[0] = word;
                break;
            }
            default:
                throw new ArgumentException($"weight bits {bits} not supported (2, 3, 4 or 8)", nameof(bits));
        }
    }
}
