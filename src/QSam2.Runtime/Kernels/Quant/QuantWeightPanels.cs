using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Weights of one quantized layer repacked once at load into the integer GEMM's panel layout
/// (docs/quantization.md §7). Output channels are cut into panels of <see cref="PanelWidth"/> = 16 columns
/// (the last one zero-padded); K is zero-padded to <see cref="Kp"/>, a multiple of 16. Inside a panel the
/// codes come in blocks of 4 k × 16 columns = 64 codes, code index <c>c = 4·j + t</c> for column j and
/// k = 4·block + t, which is the byte order <c>vpmaddubsw</c> needs when one broadcast dword holds 4
/// activations. Blocks are bit-packed as offset-binary <c>u = q + 2^(b−1)</c>:
/// <list type="bullet">
/// <item>4-bit: 32 bytes, byte i = u[i] | u[i+32] &lt;&lt; 4.</item>
/// <item>2-bit: 16 bytes, byte i = u[i] | u[i+16] &lt;&lt; 2 | u[i+32] &lt;&lt; 4 | u[i+48] &lt;&lt; 6.</item>
/// <item>3-bit: the low two bits of u as the 2-bit block (16 bytes), then a 64-bit little-endian word whose bit c is bit 2 of u[c] (8 bytes).</item>
/// <item>8-bit: 64 signed bytes in k-pair order (the int16 <c>vpmaddwd</c> path): first k = 4·block + {0,1} as <c>2·j + t</c>, then k = 4·block + {2,3}.</item>
/// </list>
/// A GEMM call decodes every panel once into int8 (int16 for 8-bit) scratch and reuses it for all M rows.
/// Per panel the object also keeps <c>Σ_k q</c> and the scales for each (group, column) so the epilogue
/// reads them with vector loads. Immutable after <see cref="Pack"/>.
/// </summary>
public sealed class QuantWeightPanels
{
    /// <summary>Columns per panel (the micro-kernel's NR).</summary>
    public const int PanelWidth = 16;

    /// <summary>K is padded to a multiple of this (keeps whole int16 chains and 16-byte A rows).</summary>
    public const int KAlign = 16;

    /// <summary>Weight bits (2, 3, 4, 8).</summary>
    public int Bits { get; }

    /// <summary>Output channels.</summary>
    public int N { get; }

    /// <summary>Reduction length.</summary>
    public int K { get; }

    /// <summary>K rounded up to <see cref="KAlign"/>.</summary>
    public int Kp { get; }

    /// <summary>Number of 16-column panels.</summary>
    public int Panels { get; }

    /// <summary>Scale groups per channel (1 unless per-group).</summary>
    public int Groups { get; }

    /// <summary>k per group in the padded layout (Kp when per channel).</summary>
    public int GroupLength { get; }

    /// <summary>True when scales are per (channel, group).</summary>
    public bool PerGroup { get; }

    internal byte[] Packed { get; }

    /// <summary>Σ_k q over each group: [panel][group][16].</summary>
    internal int[] Sums { get; }

    /// <summary>Weight scales: [panel][group][16] (0 in padded columns).</summary>
    internal float[] Scales { get; }

    /// <summary>Bytes of one packed 4×16 block.</summary>
    public int BlockBytes => BlockBytesFor(Bits);

    /// <summary>Bytes of one packed panel.</summary>
    public int PackedPanelBytes => Kp / 4 * BlockBytes;

    /// <summary>Bytes of one decoded panel (int8 codes, or int16 for 8-bit weights).</summary>
    public int DecodedPanelBytes => Kp * PanelWidth * (Bits == 8 ? 2 : 1);

    /// <summary>Total packed size (what stays resident for the layer).</summary>
    public long PackedBytes => Packed.LongLength;

    private QuantWeightPanels(QuantizedWeights w)
    {
        Bits = w.Bits;
        N = w.N;
        K = w.K;
        Kp = (w.K + KAlign - 1) / KAlign * KAlign;
        Panels = (w.N + PanelWidth - 1) / PanelWidth;
        PerGroup = w.PerGroup;
        Groups = w.Groups;
        GroupLength = w.PerGroup ? w.GroupSize : Kp;
        if (w.PerGroup && w.GroupSize % KAlign != 0)
        {
            throw new ArgumentException($"group size {w.GroupSize} must be a multiple of {KAlign} for the integer GEMM panels");
        }
        Packed = new byte[(long)Panels * PackedPanelBytes];
        Sums = new int[Panels * Groups * PanelWidth];
        Scales = new float[Panels * Groups * PanelWidth];
    }

    /// <summary>Repacks canonical codes (once, at load).</summary>
    public static QuantWeightPanels Pack(QuantizedWeights w)
    {
        var p = new QuantWeightPanels(w);
        p.Fill(w);
        if (KernelIsa.UseAvx2Fma) p.DecodeAll();
        return p;
    }

    // The AVX2 kernel's operand, decoded once at load (int8, or int16 for 8-bit weights; 1–2 bytes per weight next to
    // the packed codes) instead of once per GEMM call: generated segmenters call the GEMM once per row tile, and tiles
    // of 48–500 rows made the per-call decode a visible share of the encoder (docs/quantization.md §7 layout).
    private byte[]? _decoded;
    private nint _decodedAddress;

    /// <summary>Address of all panels decoded (64-byte aligned, pinned), or 0 when the kernels decode per call.</summary>
    internal nint DecodedAddress => _decodedAddress;

    /// <summary>Bytes the load-time decoded panels hold (0 without them).</summary>
    public long DecodedBytes => _decoded is null ? 0 : (long)Panels * DecodedPanelBytes;

    private unsafe void DecodeAll()
    {
        long bytes = (long)Panels * DecodedPanelBytes;
        _decoded = GC.AllocateUninitializedArray<byte>(checked((int)bytes + 64), pinned: true);
        fixed (byte* p = _decoded)
        {
            byte* dst = (byte*)(((nint)p + 63) & ~(nint)63);
            for (int panel = 0; panel < Panels; panel++) DecodePanelAvx2(panel, dst + (long)panel * DecodedPanelBytes);
            _decodedAddress = (nint)dst;
        }
    }

    internal static int BlockBytesFor(int bits) => bits switch
    {
        2 => 16,
        3 => 24,
        4 => 32,
        8 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "weight bits must be 2, 3, 4 or 8"),
    };

    private void Fill(QuantizedWeights w)
    {
        Span<sbyte> block = stackalloc sbyte[64];
        int blocks = Kp / 4, bb = BlockBytes;
        for (int p = 0; p < Panels; p++)
        {
            for (int q = 0; q < blocks; q++)
            {
                for (int c = 0; c < 64; c++)
                {
                    int col = p * PanelWidth + c / 4, k = 4 * q + c % 4;
                    block[c] = col < N && k < K ? w.Codes[col * K + k] : (sbyte)0;
                }
                PackBlock(block, Packed.AsSpan(p * PackedPanelBytes + q * bb, bb));
            }
            for (int g = 0; g < Groups; g++)
            {
                for (int j = 0; j < PanelWidth; j++)
                {
                    int col = p * PanelWidth + j;
                    if (col >= N) continue;
                    int sum = 0;
                    for (int k = g * w.GroupSize; k < (g + 1) * w.GroupSize; k++) sum += w.Codes[col * K + k];
                    int at = (p * Groups + g) * PanelWidth + j;
                    Sums[at] = sum;
                    Scales[at] = w.Scales[col * Groups + g];
                }
            }
        }
    }

    /// <summary>Packs 64 codes (index 4·j + t) into one block of the layout described on the class.</summary>
    private void PackBlock(ReadOnlySpan<sbyte> c, Span<byte> dst)
    {
        int o = 1 << (Bits - 1);
        switch (Bits)
        {
            case 4:
                for (int i = 0; i < 32; i++) dst[i] = (byte)((c[i] + o) | (c[i + 32] + o) << 4);
                break;
            case 2:
                for (int i = 0; i < 16; i++)
                {
                    dst[i] = (byte)((c[i] + o) | (c[i + 16] + o) << 2 | (c[i + 32] + o) << 4 | (c[i + 48] + o) << 6);
                }
                break;
            case 3:
                ulong high = 0;
                for (int i = 0; i < 16; i++)
                {
                    dst[i] = (byte)(((c[i] + o) & 3) | ((c[i + 16] + o) & 3) << 2 | ((c[i + 32] + o) & 3) << 4 | ((c[i + 48] + o) & 3) << 6);
                }
                for (int i = 0; i < 64; i++) high |= (ulong)(((c[i] + o) >> 2) & 1) << i;
                for (int i = 0; i < 8; i++) dst[16 + i] = (byte)(high >> (8 * i));
                break;
            case 8:
                // k-pair order: first half k = 4q+{0,1}, second half k = 4q+{2,3}, each as 2·j + t.
                for (int j = 0; j < 16; j++)
                {
                    dst[2 * j] = (byte)c[4 * j];
                    dst[2 * j + 1] = (byte)c[4 * j + 1];
                    dst[32 + 2 * j] = (byte)c[4 * j + 2];
                    dst[32 + 2 * j + 1] = (byte)c[4 * j + 3];
                }
                break;
        }
    }

    /// <summary>
    /// Decodes panel <paramref name="panel"/> into <paramref name="destination"/> (<see cref="DecodedPanelBytes"/> bytes):
    /// int8 codes at <c>64·(k/4) + 4·j + k%4</c> for 2/3/4-bit, int16 codes at <c>32·(k/2) + 2·j + k%2</c> for 8-bit
    /// (j = column within the panel). The GEMMs do this themselves; exposed for other back ends and diagnostics.
    /// </summary>
    public unsafe void DecodePanel(int panel, Span<byte> destination)
    {
        if ((uint)panel >= (uint)Panels) throw new ArgumentOutOfRangeException(nameof(panel), panel, $"panel must be in [0, {Panels})");
        KernelArgs.Length(nameof(DecodePanel), "destination", destination.Length, DecodedPanelBytes);
        if (KernelIsa.UseAvx2Fma)
        {
            fixed (byte* d = destination) DecodePanelAvx2(panel, d);
        }
        else
        {
            DecodePanelScalar(panel, destination);
        }
    }

    /// <summary>
    /// Scalar decode of one panel: int8 codes (index <c>64·block + 4·j + t</c>) for 2/3/4-bit, or int16 codes
    /// (index <c>32·pair + 2·j + t</c>, pair = k/2) for 8-bit, into <paramref name="dst"/> (<see cref="DecodedPanelBytes"/>).
    /// </summary>
    internal void DecodePanelScalar(int panel, Span<byte> dst)
    {
        var src = Packed.AsSpan(panel * PackedPanelBytes, PackedPanelBytes);
        int blocks = Kp / 4, bb = BlockBytes, o = 1 << (Bits - 1);
        for (int q = 0; q < blocks; q++)
        {
            var s = src.Slice(q * bb, bb);
            switch (Bits)
            {
                case 4:
                    for (int i = 0; i < 32; i++)
                    {
                        dst[64 * q + i] = (byte)(sbyte)((s[i] & 15) - o);
                        dst[64 * q + 32 + i] = (byte)(sbyte)((s[i] >> 4) - o);
                    }
                    break;
                case 2:
                case 3:
                    ulong high = Bits == 3 ? BitConverter.ToUInt64(s.Slice(16, 8)) : 0;
                    for (int c = 0; c < 64; c++)
                    {
                        int u = (s[c & 15] >> (2 * (c >> 4))) & 3;
                        if (Bits == 3) u |= (int)((high >> c) & 1) << 2;
                        dst[64 * q + c] = (byte)(sbyte)(u - o);
                    }
                    break;
                case 8:
                    var d16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(dst);
                    for (int i = 0; i < 64; i++) d16[64 * q + i] = (sbyte)s[i];
                    break;
            }
        }
    }

    /// <summary>AVX2 decode of one panel into <paramref name="dst"/>; same output as <see cref="DecodePanelScalar"/>.</summary>
    internal unsafe void DecodePanelAvx2(int panel, byte* dst)
    {
        fixed (byte* packed = Packed)
        {
            byte* src = packed + (long)panel * PackedPanelBytes;
            int blocks = Kp / 4;
            switch (Bits)
            {
                case 4:
                    {
                        var mask = Vector256.Create((byte)15);
                        var off = Vector256.Create((byte)8);
                        for (int q = 0; q < blocks; q++, src += 32, dst += 64)
                        {
                            var v = Avx.LoadVector256(src);
                            var lo = Avx2.Subtract(Avx2.And(v, mask), off);
                            var hi = Avx2.Subtract(Avx2.And(Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte(), mask), off);
                            Avx.Store(dst, lo);
                            Avx.Store(dst + 32, hi);
                        }
                        break;
                    }
                case 2:
                case 3:
                    {
                        var mask = Vector256.Create((byte)3);
                        var shLo = Vector256.Create(0u, 0, 0, 0, 2, 2, 2, 2);
                        var shHi = Vector256.Create(4u, 4, 4, 4, 6, 6, 6, 6);
                        var off = Vector256.Create((byte)(1 << (Bits - 1)));
                        var bitSel = Vector256.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128,
                            1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
                        var idxLo = Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
                        var idxHi = Avx2.Add(idxLo, Vector256.Create((byte)4));
                        var four = Vector256.Create((byte)4);
                        int bb = BlockBytes;
                        for (int q = 0; q < blocks; q++, src += bb, dst += 64)
                        {
                            var x = Vector256.Create(Sse2.LoadVector128(src), Sse2.LoadVector128(src)).AsUInt32();
                            var c0 = Avx2.And(Avx2.ShiftRightLogicalVariable(x, shLo).AsByte(), mask);
                            var c1 = Avx2.And(Avx2.ShiftRightLogicalVariable(x, shHi).AsByte(), mask);
                            if (Bits == 3)
                            {
                                var h = Vector256.Create(*(ulong*)(src + 16)).AsByte();
                                var h0 = Avx2.CompareEqual(Avx2.And(Avx2.Shuffle(h, idxLo), bitSel), bitSel);
                                var h1 = Avx2.CompareEqual(Avx2.And(Avx2.Shuffle(h, idxHi), bitSel), bitSel);
                                c0 = Avx2.Or(c0, Avx2.And(h0, four));
                                c1 = Avx2.Or(c1, Avx2.And(h1, four));
                            }
                            Avx.Store(dst, Avx2.Subtract(c0, off));
                            Avx.Store(dst + 32, Avx2.Subtract(c1, off));
                        }
                        break;
                    }
                case 8:
                    {
                        short* d = (short*)dst;
                        for (int q = 0; q < blocks; q++, src += 64, d += 64)
                        {
                            Avx.Store(d, Avx2.ConvertToVector256Int16((sbyte*)src));
                            Avx.Store(d + 16, Avx2.ConvertToVector256Int16((sbyte*)src + 16));
                            Avx.Store(d + 32, Avx2.ConvertToVector256Int16((sbyte*)src + 32));
                            Avx.Store(d + 48, Avx2.ConvertToVector256Int16((sbyte*)src + 48));
                        }
                        break;
                    }
            }
        }
    }

    /// <summary>Rows of A handled per block so the A block (int8, or int16 for 8-bit weights) stays in L2 (≈128 KiB).</summary>
    internal int BlockRows
    {
        get
        {
            long rowBytes = (long)Kp * (Bits == 8 ? 2 : 1);
            long rows = (128 * 1024 / rowBytes) & ~3L;
            return (int)Math.Clamp(rows, 4, 512);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int MetaOffset(int panel, int group) => (panel * Groups + group) * PanelWidth;
}
