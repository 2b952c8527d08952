using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// AVX2 quantized GEMM, 4 rows × 16 columns per micro-tile (docs/quantization.md §6):
/// <list type="number">
/// <item>every weight panel is decoded (int8; int16 for 8-bit weights) once at load when AVX2 is present
///   (<see cref="QuantWeightPanels.DecodedAddress"/>), otherwise once per call into scratch;</item>
/// <item>A is processed in blocks of rows that fit L2, copied once per block into a zero-padded, Kp-strided
///   scratch (uint8, or widened to int16 for 8-bit weights) so tails need no special cases;</item>
/// <item>for each panel and each 4-row tile of the block, the micro-kernel accumulates int32 per scale group,
///   subtracts <c>zp_a·Σq_w</c>, folds the group into the float tile with its scales, and the epilogue runs.</item>
/// </list>
/// 2/3/4-bit weights: activation codes are the <em>unsigned</em> operand of <c>vpmaddubsw</c>, decoded signed
/// weights the signed one; a pair sum is at most 2·255·8 = 4080 in magnitude, so four <c>vpmaddubsw</c> results
/// (16 k) are added in int16 (≤ 16320, no saturation) before one <c>vpmaddwd(·, 1)</c> widens them.
/// 8-bit weights: a u8×s8 pair can reach 2·255·128 = 65280 and would saturate int16, so both operands are
/// int16 and <c>vpmaddwd</c> multiplies them exactly (XNNPACK's AVX2 QS8 scheme), the same 32 MAC/cycle bound.
/// </summary>
internal static unsafe class QuantGemmAvx2
{
    private const int W = QuantWeightPanels.PanelWidth;

    /// <summary>Scratch bytes for an m-row call.</summary>
    public static long ScratchBytes(QuantWeightPanels w, int m)
    {
        int rows = Math.Min(w.BlockRows, (Math.Max(m, 1) + 3) & ~3);
        long decoded = (long)w.Panels * w.DecodedPanelBytes;
        long block = (long)rows * w.Kp * (w.Bits == 8 ? 2 : 1);
        return 64 + Align64(decoded) + block;
    }

    private static long Align64(long v) => (v + 63) & ~63L;

    public static void Run(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        fixed (byte* pa = a)
        fixed (byte* ps = scratch)
        {
            byte* aligned = (byte*)(((nint)ps + 63) & ~(nint)63);
            int panelBytes = w.DecodedPanelBytes;
            byte* dec = (byte*)w.DecodedAddress;
            if (dec == null)
            {
                dec = aligned;
                for (int p = 0; p < w.Panels; p++) w.DecodePanelAvx2(p, dec + (long)p * panelBytes);
            }
            // The A block keeps its place after the decoded-panel area either way (the scratch size does not change).
            byte* blk = aligned + Align64((long)w.Panels * panelBytes);

            float* tile = stackalloc float[4 * W];
            bool wide = w.Bits == 8;
            int kp = w.Kp, mb = w.BlockRows;
            for (int m0 = 0; m0 < m; m0 += mb)
            {
                int rows = Math.Min(mb, m - m0), rowsPadded = (rows + 3) & ~3;
                if (wide) WidenBlock(pa + (long)m0 * lda, lda, rows, rowsPadded, w.K, kp, (short*)blk);
                else CopyBlock(pa + (long)m0 * lda, lda, rows, rowsPadded, w.K, kp, blk);

                for (int p = 0; p < w.Panels; p++)
                {
                    byte* panel = dec + (long)p * panelBytes;
                    fixed (int* sums = &w.Sums[w.MetaOffset(p, 0)])
                    fixed (float* scales = &w.Scales[w.MetaOffset(p, 0)])
                    {
                        for (int r0 = 0; r0 < rowsPadded; r0 += 4)
                        {
                            if (wide) Tile4x16_S16((short*)blk + (long)r0 * kp, kp, (short*)panel, w.Groups, w.GroupLength / 4, sums, scales, aq.ZeroPoint, tile);
                            else Tile4x16_U8S8(blk + (long)r0 * kp, kp, (sbyte*)panel, w.Groups, w.GroupLength / 16, sums, scales, aq.ZeroPoint, tile);
                            StoreTile(tile, Math.Min(4, rows - r0), m0 + r0, p * W, w.N, aq.Scale, ep, output);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Copies <paramref name="rows"/> rows of K codes to a Kp-strided block, zero-filling the padding.</summary>
    private static void CopyBlock(byte* src, int lda, int rows, int rowsPadded, int k, int kp, byte* dst)
    {
        for (int r = 0; r < rowsPadded; r++)
        {
            byte* d = dst + (long)r * kp;
            if (r < rows)
            {
                Buffer.MemoryCopy(src + (long)r * lda, d, kp, k);
                new Span<byte>(d + k, kp - k).Clear();
            }
            else
            {
                new Span<byte>(d, kp).Clear();
            }
        }
    }

    /// <summary>Widens codes to int16 (not centred: the zero point is corrected through Σq_w, as on the 8-bit-code path).</summary>
    private static void WidenBlock(byte* src, int lda, int rows, int rowsPadded, int k, int kp, short* dst)
    {
        for (int r = 0; r < rowsPadded; r++)
        {
            short* d = dst + (long)r * kp;
            int i = 0;
            if (r < rows)
            {
                byte* s = src + (long)r * lda;
                for (; i + 16 <= k; i += 16) Avx.Store(d + i, Avx2.ConvertToVector256Int16(s + i));
                for (; i < k; i++) d[i] = s[i];
            }
            for (; i < kp; i++) d[i] = 0;
        }
    }

    /// <summary>
    /// 4×16 tile, 2/3/4-bit weights. <paramref name="a"/>: 4 rows of Kp uint8 codes; <paramref name="w"/>: the
    /// decoded panel (64 int8 per k-quad: columns 0–7 in the first 32 bytes, 8–15 in the second). Per group:
    /// <paramref name="stepsPerGroup"/> steps of 16 k. Writes <c>tile[r·16 + j] = Σ_g s_w·(acc − zp·Σq_w)</c>.
    /// <para>Four <c>vpmaddubsw</c> results (16 k) are summed in int16 before one <c>vpmaddwd(·, 1)</c>: with |q| ≤ 8
    /// a pair is at most 2·255·8 = 4080, four of them 16320 &lt; 2^15, so nothing saturates and the int32 sums are
    /// exact (the same integers as two-at-a-time). That is 40 multiply µops per 1024 MACs instead of 48, on the two
    /// multiply pipes of Zen3. Loop order: per column half, the four weight vectors stay in registers and each row's
    /// four activation dwords are broadcast straight from memory, so 8 accumulators + 4 weights + temporaries fit
    /// the 16 ymm registers.</para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16_U8S8(byte* a, int kp, sbyte* w, int groups, int stepsPerGroup, int* sums, float* scales, int zp, float* tile)
    {
        var ones = Vector256.Create((short)1);
        var zpv = Vector256.Create(zp);
        byte* a0 = a, a1 = a + kp, a2 = a + 2 * kp, a3 = a + 3 * kp;
        new Span<float>(tile, 4 * W).Clear();
        for (int g = 0; g < groups; g++, sums += W, scales += W)
        {
            var c00 = Vector256<int>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
            var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00;
            for (int i = 0; i < stepsPerGroup; i++, w += 256, a0 += 16, a1 += 16, a2 += 16, a3 += 16)
            {
                var w0 = Avx.LoadVector256(w);
                var w1 = Avx.LoadVector256(w + 64);
                var w2 = Avx.LoadVector256(w + 128);
                var w3 = Avx.LoadVector256(w + 192);
                c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(Dot16(a0, w0, w1, w2, w3), ones));
                c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(Dot16(a1, w0, w1, w2, w3), ones));
                c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(Dot16(a2, w0, w1, w2, w3), ones));
                c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(Dot16(a3, w0, w1, w2, w3), ones));
                w0 = Avx.LoadVector256(w + 32);
                w1 = Avx.LoadVector256(w + 96);
                w2 = Avx.LoadVector256(w + 160);
                w3 = Avx.LoadVector256(w + 224);
                c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(Dot16(a0, w0, w1, w2, w3), ones));
                c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(Dot16(a1, w0, w1, w2, w3), ones));
                c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(Dot16(a2, w0, w1, w2, w3), ones));
                c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(Dot16(a3, w0, w1, w2, w3), ones));
            }
            FoldGroup(tile, c00, c01, c10, c11, c20, c21, c30, c31, sums, scales, zpv);
        }
    }

    /// <summary>16 k of one row against 8 columns: four u8×s8 <c>vpmaddubsw</c> summed in int16 (no saturation, see above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Dot16(byte* a, Vector256<sbyte> w0, Vector256<sbyte> w1, Vector256<sbyte> w2, Vector256<sbyte> w3) =>
        Avx2.Add(
            Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.BroadcastScalarToVector256((uint*)a).AsByte(), w0),
                     Avx2.MultiplyAddAdjacent(Avx2.BroadcastScalarToVector256((uint*)(a + 4)).AsByte(), w1)),
            Avx2.Add(Avx2.MultiplyAddAdjacent(Avx2.BroadcastScalarToVector256((uint*)(a + 8)).AsByte(), w2),
                     Avx2.MultiplyAddAdjacent(Avx2.BroadcastScalarToVector256((uint*)(a + 12)).AsByte(), w3)));

    /// <summary>
    /// 4×16 tile, 8-bit weights: <paramref name="a"/> 4 rows of Kp int16 codes, <paramref name="w"/> the decoded
    /// int16 panel (32 per k-pair); <paramref name="quadsPerGroup"/> steps of 4 k (two <c>vpmaddwd</c> per row half).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16_S16(short* a, int kp, short* w, int groups, int quadsPerGroup, int* sums, float* scales, int zp, float* tile)
    {
        var zpv = Vector256.Create(zp);
        short* a0 = a, a1 = a + kp, a2 = a + 2 * kp, a3 = a + 3 * kp;
        new Span<float>(tile, 4 * W).Clear();
        for (int g = 0; g < groups; g++, sums += W, scales += W)
        {
            var c00 = Vector256<int>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
            var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00;
            for (int i = 0; i < quadsPerGroup; i++, w += 64, a0 += 4, a1 += 4, a2 += 4, a3 += 4)
            {
                var w0a = Avx.LoadVector256(w);
                var w0b = Avx.LoadVector256(w + 16);
                var w1a = Avx.LoadVector256(w + 32);
                var w1b = Avx.LoadVector256(w + 48);

                var x0 = Avx2.BroadcastScalarToVector256((uint*)a0).AsInt16();
                var x1 = Avx2.BroadcastScalarToVector256((uint*)(a0 + 2)).AsInt16();
                c00 = Avx2.Add(c00, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0a), Avx2.MultiplyAddAdjacent(x1, w1a)));
                c01 = Avx2.Add(c01, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0b), Avx2.MultiplyAddAdjacent(x1, w1b)));

                x0 = Avx2.BroadcastScalarToVector256((uint*)a1).AsInt16();
                x1 = Avx2.BroadcastScalarToVector256((uint*)(a1 + 2)).AsInt16();
                c10 = Avx2.Add(c10, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0a), Avx2.MultiplyAddAdjacent(x1, w1a)));
                c11 = Avx2.Add(c11, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0b), Avx2.MultiplyAddAdjacent(x1, w1b)));

                x0 = Avx2.BroadcastScalarToVector256((uint*)a2).AsInt16();
                x1 = Avx2.BroadcastScalarToVector256((uint*)(a2 + 2)).AsInt16();
                c20 = Avx2.Add(c20, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0a), Avx2.MultiplyAddAdjacent(x1, w1a)));
                c21 = Avx2.Add(c21, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0b), Avx2.MultiplyAddAdjacent(x1, w1b)));

                x0 = Avx2.BroadcastScalarToVector256((uint*)a3).AsInt16();
                x1 = Avx2.BroadcastScalarToVector256((uint*)(a3 + 2)).AsInt16();
                c30 = Avx2.Add(c30, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0a), Avx2.MultiplyAddAdjacent(x1, w1a)));
                c31 = Avx2.Add(c31, Avx2.Add(Avx2.MultiplyAddAdjacent(x0, w0b), Avx2.MultiplyAddAdjacent(x1, w1b)));
            }
            FoldGroup(tile, c00, c01, c10, c11, c20, c21, c30, c31, sums, scales, zpv);
        }
    }

    /// <summary>
    /// acc − zp·Σq_w, then <c>tile = fma(float(acc), s_w, tile)</c>. The float tile lives in memory (L1), not in
    /// registers: the int32 accumulators, weights and broadcasts already use the 16 ymm registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldGroup(float* tile, Vector256<int> c00, Vector256<int> c01, Vector256<int> c10, Vector256<int> c11,
        Vector256<int> c20, Vector256<int> c21, Vector256<int> c30, Vector256<int> c31, int* sums, float* scales, Vector256<int> zpv)
    {
        var z0 = Avx2.MultiplyLow(Avx.LoadVector256(sums), zpv);
        var z1 = Avx2.MultiplyLow(Avx.LoadVector256(sums + 8), zpv);
        var s0 = Avx.LoadVector256(scales);
        var s1 = Avx.LoadVector256(scales + 8);
        Fold(tile, c00, z0, s0);
        Fold(tile + 8, c01, z1, s1);
        Fold(tile + 16, c10, z0, s0);
        Fold(tile + 24, c11, z1, s1);
        Fold(tile + 32, c20, z0, s0);
        Fold(tile + 40, c21, z1, s1);
        Fold(tile + 48, c30, z0, s0);
        Fold(tile + 56, c31, z1, s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(float* t, Vector256<int> acc, Vector256<int> zpSum, Vector256<float> scale) =>
        Avx.Store(t, Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.Subtract(acc, zpSum)), scale, Avx.LoadVector256(t)));

    /// <summary>Epilogue for one tile: <c>y = fma(F, s_a, bias)</c>, then GELU / residual / store.</summary>
    private static void StoreTile(float* tile, int rows, int m0, int n0, int n, float actScale, in GemmEpilogue ep, in GemmOutput output)
    {
        int cols = Math.Min(W, n - n0);
        var sa = Vector256.Create(actScale);
        for (int r = 0; r < rows; r++)
        {
            float* f = tile + r * W;
            if (cols == W)
            {
                var b0 = Vector256<float>.Zero;
                var b1 = Vector256<float>.Zero;
                if (!ep.Bias.IsEmpty)
                {
                    b0 = Vector256.Create(ep.Bias.Slice(n0, 8));
                    b1 = Vector256.Create(ep.Bias.Slice(n0 + 8, 8));
                }
                EpilogueStore.Row16Avx2(Fma.MultiplyAdd(Avx.LoadVector256(f), sa, b0), Fma.MultiplyAdd(Avx.LoadVector256(f + 8), sa, b1),
                    m0 + r, n0, ep, output);
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    float bias = ep.Bias.IsEmpty ? 0f : ep.Bias[n0 + j];
                    EpilogueStore.Scalar(MathF.FusedMultiplyAdd(f[j], actScale, bias), m0 + r, n0 + j, ep, output);
                }
            }
        }
    }
}
