using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using QSam2.Runtime.Kernels.VectorMath;

namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// Attention core in float32, per head: <c>O = softmax(Q·Kᵀ·scale)·V</c> (no mask, no dropout: SAM2's
/// <c>scaled_dot_product_attention</c> at inference). Q is [Nq, heads·d], K and V are [Nk, heads·d] (row strides
/// ldq/ldk/ldv, so Hiera's fused qkv buffer can be passed with offsets 0, C, 2C and stride 3C); head h uses
/// columns [h·d, (h+1)·d) and writes the same columns of O [Nq, heads·d] (stride ldo). Windowed attention is
/// this kernel on each window's tokens (the caller partitions).
/// <para>The fast versions are flash-style in memory only: per head, K and V are packed once, then queries go
/// through in blocks of <see cref="QueryBlock"/> rows — scores for a block (QueryBlock × Nk floats) stay in
/// scratch, are soft-maxed in place and multiplied by V — so a 4096-token global block never materialises its
/// 64 MB score matrix. Scratch: <see cref="ScratchFloats"/>.</para>
/// </summary>
public static class AttentionCore
{
    /// <summary>Query rows per block of scores.</summary>
    public const int QueryBlock = 64;

    /// <summary>Floats of scratch a call needs.</summary>
    public static long ScratchFloats(int nq, int nk, int headDim) =>
        (long)GemmF32.PackedLength(nk, headDim) + GemmF32.PackedLength(headDim, nk) + (long)Math.Min(QueryBlock, Math.Max(nq, 1)) * nk;

    /// <summary>Dispatching entry point.</summary>
    public static void Attention(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale, Span<float> scratch)
    {
        if (KernelIsa.UseAvx2Fma) Attention_Avx2Fma(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale, scratch);
        else Attention_Portable(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale, scratch);
    }

    /// <summary>Scalar definition (allocates one row of scores; for tests).</summary>
    public static void Attention_Reference(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale)
    {
        Check(nameof(Attention_Reference), q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        var s = new float[nk];
        for (int h = 0; h < heads; h++)
        {
            int c0 = h * headDim;
            for (int i = 0; i < nq; i++)
            {
                for (int j = 0; j < nk; j++)
                {
                    float acc = 0f;
                    for (int c = 0; c < headDim; c++) acc = MathF.FusedMultiplyAdd(q[i * ldq + c0 + c], k[j * ldk + c0 + c], acc);
                    s[j] = acc;
                }
                SoftmaxKernels.Softmax_Rows_Reference(s, s, 1, nk, nk, scale);
                for (int c = 0; c < headDim; c++)
                {
                    float acc = 0f;
                    for (int j = 0; j < nk; j++) acc = MathF.FusedMultiplyAdd(s[j], v[j * ldv + c0 + c], acc);
                    o[i * ldo + c0 + c] = acc;
                }
            }
        }
    }

    /// <summary>Portable blocked version (portable GEMM and softmax).</summary>
    public static void Attention_Portable(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale, Span<float> scratch)
    {
        Check(nameof(Attention_Portable), q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        KernelArgs.Length(nameof(Attention_Portable), "scratch", scratch.Length, ScratchFloats(nq, nk, headDim));
        Run(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale, scratch, avx: false);
    }

    /// <summary>AVX2 + FMA blocked version.</summary>
    public static void Attention_Avx2Fma(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale, Span<float> scratch)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Attention_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(Attention_Avx2Fma), q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim);
        KernelArgs.Length(nameof(Attention_Avx2Fma), "scratch", scratch.Length, ScratchFloats(nq, nk, headDim));
        Run(q, ldq, k, ldk, v, ldv, o, ldo, nq, nk, heads, headDim, scale, scratch, avx: true);
    }

    private static void Run(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim, float scale, Span<float> scratch, bool avx)
    {
        int kLen = GemmF32.PackedLength(nk, headDim), vLen = GemmF32.PackedLength(headDim, nk);
        var packedK = scratch.Slice(0, kLen);
        var packedV = scratch.Slice(kLen, vLen);
        var scores = scratch.Slice(kLen + vLen);
        for (int h = 0; h < heads; h++)
        {
            PackHead(k, ldk, v, ldv, nk, headDim, h, packedK, packedV);
            for (int q0 = 0; q0 < nq; q0 += QueryBlock)
            {
                AttendRows(q, ldq, packedK, packedV, o, ldo, q0, Math.Min(QueryBlock, nq - q0), nk, headDim, h, scale, scores, avx);
            }
        }
    }

    /// <summary>Floats of the packed K panels of one head (the first part of the scratch).</summary>
    public static int PackedKeyFloats(int nk, int headDim) => GemmF32.PackedLength(nk, headDim);

    /// <summary>Floats of the packed V panels of one head (after the packed K).</summary>
    public static int PackedValueFloats(int nk, int headDim) => GemmF32.PackedLength(headDim, nk);

    /// <summary>
    /// Packs head <paramref name="head"/>'s K (as the Kᵀ operand) and V for <see cref="AttendRows"/>; once per head,
    /// shared read-only by every row block of that head (so row blocks may run in parallel).
    /// </summary>
    public static void PackHead(ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv, int nk, int headDim, int head,
        Span<float> packedK, Span<float> packedV)
    {
        int c0 = head * headDim;
        GemmF32.PackB_FromNK(k.Slice(c0), ldk, nk, headDim, packedK);
        GemmF32.PackB_FromKN(v.Slice(c0), ldv, nk, headDim, packedV);
    }

    /// <summary>
    /// Query rows [<paramref name="q0"/>, q0 + <paramref name="rows"/>) of head <paramref name="head"/> against the
    /// packed K/V of that head: <c>O = softmax(Q·Kᵀ·scale)·V</c> with <paramref name="scores"/> (≥ rows·nk floats) as
    /// the score block. Writes only those rows' head columns of O. The AVX2 path keeps the soft-max unnormalised
    /// through the A·V product and divides the head-width output rows by Σ exp instead of the nk-wide score rows
    /// (one pass over the score block less; equal up to rounding, as the other versions are).
    /// </summary>
    public static void AttendRows(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> packedK, ReadOnlySpan<float> packedV,
        Span<float> o, int ldo, int q0, int rows, int nk, int headDim, int head, float scale, Span<float> scores)
    {
        const string name = nameof(AttendRows);
        KernelArgs.Positive(name, nameof(rows), rows);
        KernelArgs.NonNegative(name, nameof(q0), q0);
        KernelArgs.NonNegative(name, nameof(head), head);
        int width = (head + 1) * headDim;
        KernelArgs.Matrix(name, "Q", q.Length, q0 + rows, width, ldq);
        KernelArgs.Matrix(name, "O", o.Length, q0 + rows, width, ldo);
        KernelArgs.Length(name, "packed K", packedK.Length, PackedKeyFloats(nk, headDim));
        KernelArgs.Length(name, "packed V", packedV.Length, PackedValueFloats(nk, headDim));
        KernelArgs.Length(name, "scores", scores.Length, (long)rows * nk);
        AttendRows(q, ldq, packedK, packedV, o, ldo, q0, rows, nk, headDim, head, scale, scores, KernelIsa.UseAvx2Fma);
    }

    private static void AttendRows(ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> packedK, ReadOnlySpan<float> packedV,
        Span<float> o, int ldo, int q0, int rows, int nk, int headDim, int head, float scale, Span<float> scores, bool avx)
    {
        int c0 = head * headDim;
        var qa = q.Slice(q0 * ldq + c0);
        var s = scores.Slice(0, rows * nk);
        var os = o.Slice(q0 * ldo + c0);
        if (avx)
        {
            Span<float> inv = rows <= 256 ? stackalloc float[rows] : new float[rows];
            GemmF32.Gemm_F32_6x16_Avx2Fma(qa, ldq, rows, packedK, nk, headDim, GemmEpilogue.None, GemmOutput.Float(s, nk));
            ExpRows_Avx2Fma(s, rows, nk, scale, inv);
            GemmF32.Gemm_F32_6x16_Avx2Fma(s, nk, rows, packedV, headDim, nk, GemmEpilogue.None, GemmOutput.Float(os, ldo));
            ref float ob = ref MemoryMarshal.GetReference(os);
            for (int r = 0; r < rows; r++)
            {
                var f = Vector256.Create(inv[r]);
                nuint at = (nuint)(r * ldo);
                int c = 0;
                for (; c + 8 <= headDim; c += 8) Avx.Multiply(Vector256.LoadUnsafe(ref ob, at + (nuint)c), f).StoreUnsafe(ref ob, at + (nuint)c);
                for (; c < headDim; c++) os[r * ldo + c] *= inv[r];
            }
        }
        else
        {
            GemmF32.Gemm_F32_Portable(qa, ldq, rows, packedK, nk, headDim, GemmEpilogue.None, GemmOutput.Float(s, nk));
            SoftmaxKernels.Softmax_Rows_Portable(s, s, rows, nk, nk, scale);
            GemmF32.Gemm_F32_Portable(s, nk, rows, packedV, headDim, nk, GemmEpilogue.None, GemmOutput.Float(os, ldo));
        }
    }

    /// <summary>
    /// In place, per row of <paramref name="cols"/>: <c>x ← exp(x·scale − max(x·scale))</c> and <c>inv[r] = 1 / Σ exp</c>
    /// (<see cref="SoftmaxKernels.ExpRow_Avx2Fma"/>, the softmax kernel's own exp pass); the caller scales the A·V
    /// output by inv instead of normalizing the probabilities.
    /// </summary>
    private static void ExpRows_Avx2Fma(Span<float> x, int rows, int cols, float scale, Span<float> inv)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * cols, cols);
            inv[r] = 1f / SoftmaxKernels.ExpRow_Avx2Fma(row, row, scale);
        }
    }

    /// <summary>Argument checks shared by every attention kernel (Q [nq], K/V [nk], O [nq] rows of heads·headDim within their strides).</summary>
    internal static void Check(string name, ReadOnlySpan<float> q, int ldq, ReadOnlySpan<float> k, int ldk, ReadOnlySpan<float> v, int ldv,
        Span<float> o, int ldo, int nq, int nk, int heads, int headDim)
    {
        KernelArgs.Positive(name, nameof(nq), nq);
        KernelArgs.Positive(name, nameof(nk), nk);
        KernelArgs.Positive(name, nameof(heads), heads);
        KernelArgs.Positive(name, nameof(headDim), headDim);
        int width = heads * headDim;
        KernelArgs.Matrix(name, "Q", q.Length, nq, width, ldq);
        KernelArgs.Matrix(name, "K", k.Length, nk, width, ldk);
        KernelArgs.Matrix(name, "V", v.Length, nk, width, ldv);
        KernelArgs.Matrix(name, "O", o.Length, nq, width, ldo);
    }
}
