using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// <c>O = softmax(Q·Kᵀ·scale)·V</c> per head (the layout and definition of <see cref="AttentionCore"/>) for many queries
/// against a few keys: SAM's image→token attention, 4096 image tokens attending to the 7–20 prompt tokens. There the
/// blocked GEMM path runs 16-wide tiles holding a handful of keys and one soft-max call per query row; this kernel
/// instead puts 8 queries in the lanes of a vector, so scores, exp, the soft-max sums and A·V are all 8 queries wide.
/// <para>Per query, both versions compute <c>s_j = Σ_c q_c·k_jc</c> (FMA in c order), <c>m = max_j s_j·scale</c>,
/// <c>e_j = exp(fma(s_j, scale, −m))</c> (<see cref="ExpF32"/>), <c>Σ = Σ_j e_j</c> in j order and
/// <c>o_c = (Σ_j e_j·v_jc, FMA in j order) · (1/Σ)</c>, so the AVX2 and portable versions are bit-identical; against
/// <see cref="AttentionCore"/> only the order of the Σ e_j additions differs.</para>
/// </summary>
public static class FewKeysAttention
{
    /// <summary>The most keys a call takes (scores live on the stack).</summary>
    public const int MaxKeys = 128;

    private const int Lanes = 8;

    /// <summary>Dispatching entry point.</summary>
    public static void Attention(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale)
    {
        if (KernelIsa.UseAvx2Fma) Attention_8Queries_Avx2Fma(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale);
        else Attention_Portable(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale);
    }

    /// <summary>One query at a time, scalar: the executable definition of this kernel's operation order.</summary>
    public static void Attention_Portable(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale)
    {
        Check(nameof(Attention_Portable), q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        Span<float> s = stackalloc float[nk];
        for (int h = 0; h < heads; h++)
        {
            for (int r = 0; r < nq; r++) AttendOne(q, ldq, k, ldk, v, ldv, o, ldo, r, nk, h * headDim, headDim, scale, s);
        }
    }

    /// <summary>AVX2 + FMA: queries in blocks of 8 (one per lane); a last partial block goes through the scalar path.</summary>
    public static void Attention_8Queries_Avx2Fma(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Attention_8Queries_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(Attention_8Queries_Avx2Fma), q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        Span<float> s = stackalloc float[nk];
        Span<Vector256<float>> scores = stackalloc Vector256<float>[nk];
        int padded = (headDim + Lanes - 1) / Lanes * Lanes;
        Span<Vector256<float>> columns = stackalloc Vector256<float>[padded];
        ref float qs = ref MemoryMarshal.GetReference(q);
        ref float ks = ref MemoryMarshal.GetReference(k);
        ref float vs = ref MemoryMarshal.GetReference(v);
        ref float os = ref MemoryMarshal.GetReference(o);
        ref Vector256<float> col = ref MemoryMarshal.GetReference(columns);
        ref Vector256<float> sc = ref MemoryMarshal.GetReference(scores);
        int blocked = nq / Lanes * Lanes;
        var vScale = Vector256.Create(scale);
        for (int h = 0; h < heads; h++)
        {
            int c0 = h * headDim;
            for (int r0 = 0; r0 < blocked; r0 += Lanes)
            {
                // columns[c] = q[r0..r0+8, c0 + c]: 8×8 register transposes of the block's rows.
                LoadTransposed(ref Unsafe.Add(ref qs, r0 * ldq + c0), ldq, headDim, ref col);
                var vmax = Vector256.Create(float.NegativeInfinity);
                for (int j = 0; j < nk; j++)
                {
                    ref float kj = ref Unsafe.Add(ref ks, j * ldk + c0);
                    var acc = Vector256<float>.Zero;
                    for (int c = 0; c < headDim; c++) acc = Fma.MultiplyAdd(Unsafe.Add(ref col, c), Vector256.Create(Unsafe.Add(ref kj, c)), acc);
                    Unsafe.Add(ref sc, j) = acc;
                    vmax = Avx.Max(vmax, Avx.Multiply(acc, vScale));
                }
                var sum = Vector256<float>.Zero;
                for (int j = 0; j < nk; j++)
                {
                    var e = ExpF32.Avx2Fma(Fma.MultiplySubtract(Unsafe.Add(ref sc, j), vScale, vmax));
                    Unsafe.Add(ref sc, j) = e;
                    sum = Avx.Add(sum, e);
                }
                var inv = Avx.Divide(Vector256.Create(1f), sum);
                for (int c = 0; c < headDim; c++)
                {
                    ref float vc = ref Unsafe.Add(ref vs, c0 + c);
                    var acc = Vector256<float>.Zero;
                    for (int j = 0; j < nk; j++) acc = Fma.MultiplyAdd(Unsafe.Add(ref sc, j), Vector256.Create(Unsafe.Add(ref vc, j * ldv)), acc);
                    Unsafe.Add(ref col, c) = Avx.Multiply(acc, inv);
                }
                StoreTransposed(ref col, headDim, ref Unsafe.Add(ref os, r0 * ldo + c0), ldo);
            }
            for (int r = blocked; r < nq; r++) AttendOne(q, ldq, k, ldk, v, ldv, o, ldo, r, nk, c0, headDim, scale, s);
        }
    }

    /// <summary>columns[c][i] = rows[i·ld + c] for 8 rows and <paramref name="width"/> columns (full 8-column chunks by transpose).</summary>
    private static void LoadTransposed(ref float rows, int ld, int width, ref Vector256<float> columns)
    {
        int c = 0;
        for (; c + Lanes <= width; c += Lanes)
        {
            ref float at = ref Unsafe.Add(ref rows, c);
            var r0 = Vector256.LoadUnsafe(ref at);
            var r1 = Vector256.LoadUnsafe(ref at, (nuint)ld);
            var r2 = Vector256.LoadUnsafe(ref at, (nuint)(2 * ld));
            var r3 = Vector256.LoadUnsafe(ref at, (nuint)(3 * ld));
            var r4 = Vector256.LoadUnsafe(ref at, (nuint)(4 * ld));
            var r5 = Vector256.LoadUnsafe(ref at, (nuint)(5 * ld));
            var r6 = Vector256.LoadUnsafe(ref at, (nuint)(6 * ld));
            var r7 = Vector256.LoadUnsafe(ref at, (nuint)(7 * ld));
            Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            Unsafe.Add(ref columns, c) = r0;
            Unsafe.Add(ref columns, c + 1) = r1;
            Unsafe.Add(ref columns, c + 2) = r2;
            Unsafe.Add(ref columns, c + 3) = r3;
            Unsafe.Add(ref columns, c + 4) = r4;
            Unsafe.Add(ref columns, c + 5) = r5;
            Unsafe.Add(ref columns, c + 6) = r6;
            Unsafe.Add(ref columns, c + 7) = r7;
        }
        for (; c < width; c++)
        {
            ref float at = ref Unsafe.Add(ref rows, c);
            Unsafe.Add(ref columns, c) = Vector256.Create(at, Unsafe.Add(ref at, ld), Unsafe.Add(ref at, 2 * ld), Unsafe.Add(ref at, 3 * ld),
                Unsafe.Add(ref at, 4 * ld), Unsafe.Add(ref at, 5 * ld), Unsafe.Add(ref at, 6 * ld), Unsafe.Add(ref at, 7 * ld));
        }
    }

    /// <summary>rows[i·ld + c] = columns[c][i]: the inverse of <see cref="LoadTransposed"/>; writes only the <paramref name="width"/> columns.</summary>
    private static void StoreTransposed(ref Vector256<float> columns, int width, ref float rows, int ld)
    {
        int c = 0;
        for (; c + Lanes <= width; c += Lanes)
        {
            var r0 = Unsafe.Add(ref columns, c);
            var r1 = Unsafe.Add(ref columns, c + 1);
            var r2 = Unsafe.Add(ref columns, c + 2);
            var r3 = Unsafe.Add(ref columns, c + 3);
            var r4 = Unsafe.Add(ref columns, c + 4);
            var r5 = Unsafe.Add(ref columns, c + 5);
            var r6 = Unsafe.Add(ref columns, c + 6);
            var r7 = Unsafe.Add(ref columns, c + 7);
            Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            ref float at = ref Unsafe.Add(ref rows, c);
            r0.StoreUnsafe(ref at);
            r1.StoreUnsafe(ref at, (nuint)ld);
            r2.StoreUnsafe(ref at, (nuint)(2 * ld));
            r3.StoreUnsafe(ref at, (nuint)(3 * ld));
            r4.StoreUnsafe(ref at, (nuint)(4 * ld));
            r5.StoreUnsafe(ref at, (nuint)(5 * ld));
            r6.StoreUnsafe(ref at, (nuint)(6 * ld));
            r7.StoreUnsafe(ref at, (nuint)(7 * ld));
        }
        for (; c < width; c++)
        {
            var column = Unsafe.Add(ref columns, c);
            for (int i = 0; i < Lanes; i++) Unsafe.Add(ref rows, i * ld + c) = column.GetElement(i);
        }
    }

    /// <summary>In-register 8×8 transpose: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20);
        r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20);
        r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31);
        r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31);
        r7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    private static void AttendOne(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int r, int nk, int c0, int headDim, float scale, Span<float> s)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < nk; j++)
        {
            float acc = 0f;
            for (int c = 0; c < headDim; c++) acc = MathF.FusedMultiplyAdd(q[r * ldq + c0 + c], k[j * ldk + c0 + c], acc);
            s[j] = acc;
            max = MathF.Max(max, acc * scale);
        }
        float sum = 0f;
        for (int j = 0; j < nk; j++)
        {
            s[j] = ExpF32.Scalar(MathF.FusedMultiplyAdd(s[j], scale, -max));
            sum += s[j];
        }
        float inv = 1f / sum;
        for (int c = 0; c < headDim; c++)
        {
            float acc = 0f;
            for (int j = 0; j < nk; j++) acc = MathF.FusedMultiplyAdd(s[j], v[j * ldv + c0 + c], acc);
            o[r * ldo + c0 + c] = acc * inv;
        }
    }

    private static void Check(string name, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim)
    {
        AttentionCore.Check(name, q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        if (nk > MaxKeys) throw new ArgumentException($"{name}: {nk} keys exceed the {MaxKeys} this kernel takes (use AttentionCore)", nameof(nk));
    }
}
