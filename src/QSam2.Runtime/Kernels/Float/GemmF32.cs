namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// float32 GEMM with fused epilogue: <c>C[M,N] = epilogue(A[M,K] · B)</c>, B packed once into 16-column panels
/// (<c>packed[(p·K + k)·16 + j] = B(k, 16p + j)</c>, zero beyond N). Pack Linear weights / Kᵀ operands (given as
/// [N, K]) with <see cref="PackB_FromNK"/>, and V-like operands (given as [K, N]) with <see cref="PackB_FromKN"/>.
/// Every output element accumulates <c>acc = fma(a[m,k], b[k,n], acc)</c> for k = 0..K−1 in order from 0, then
/// <c>y = acc + bias[n]</c> (0 when absent), then GELU / residual / store (<see cref="GemmEpilogue"/>): the
/// reference, portable and AVX2 versions therefore agree bit for bit. Kernels never allocate.
/// </summary>
public static class GemmF32
{
    /// <summary>Columns per packed panel (the micro-kernel's NR).</summary>
    public const int PanelWidth = 16;

    /// <summary>Floats a packed B of n columns and k rows needs.</summary>
    public static int PackedLength(int n, int k) => (n + PanelWidth - 1) / PanelWidth * PanelWidth * k;

    /// <summary>Packs B given row-major as [N, K] (element (k, n) at <c>b[n·ldb + k]</c>), e.g. a Linear weight.</summary>
    public static void PackB_FromNK(ReadOnlySpan<float> b, int ldb, int n, int k, Span<float> packed)
    {
        const string name = nameof(PackB_FromNK);
        KernelArgs.Positive(name, nameof(n), n);
        KernelArgs.Positive(name, nameof(k), k);
        KernelArgs.Matrix(name, "B", b.Length, n, k, ldb);
        KernelArgs.Length(name, "packed", packed.Length, PackedLength(n, k));
        int panels = (n + PanelWidth - 1) / PanelWidth;
        for (int p = 0; p < panels; p++)
        {
            var dst = packed.Slice(p * k * PanelWidth, k * PanelWidth);
            for (int j = 0; j < PanelWidth; j++)
            {
                int col = p * PanelWidth + j;
                if (col < n)
                {
                    var src = b.Slice(col * ldb, k);
                    for (int kk = 0; kk < k; kk++) dst[kk * PanelWidth + j] = src[kk];
                }
                else
                {
                    for (int kk = 0; kk < k; kk++) dst[kk * PanelWidth + j] = 0f;
                }
            }
        }
    }

    /// <summary>Packs B given row-major as [K, N] (element (k, n) at <c>b[k·ldb + n]</c>), e.g. attention V.</summary>
    public static void PackB_FromKN(ReadOnlySpan<float> b, int ldb, int k, int n, Span<float> packed)
    {
        const string name = nameof(PackB_FromKN);
        KernelArgs.Positive(name, nameof(n), n);
        KernelArgs.Positive(name, nameof(k), k);
        KernelArgs.Matrix(name, "B", b.Length, k, n, ldb);
        KernelArgs.Length(name, "packed", packed.Length, PackedLength(n, k));
        int panels = (n + PanelWidth - 1) / PanelWidth;
        for (int p = 0; p < panels; p++)
        {
            int cols = Math.Min(PanelWidth, n - p * PanelWidth);
            var dst = packed.Slice(p * k * PanelWidth, k * PanelWidth);
            for (int kk = 0; kk < k; kk++)
            {
                var row = dst.Slice(kk * PanelWidth, PanelWidth);
                b.Slice(kk * ldb + p * PanelWidth, cols).CopyTo(row);
                row.Slice(cols).Clear();
            }
        }
    }

    /// <summary>The dispatching entry point.</summary>
    public static void Gemm_F32(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> packedB, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        if (KernelIsa.UseAvx2Fma) Gemm_F32_6x16_Avx2Fma(a, lda, m, packedB, n, k, ep, output);
        else Gemm_F32_Portable(a, lda, m, packedB, n, k, ep, output);
    }

    /// <summary>Scalar definition on an unpacked B given as [N, K] (element (k, n) at <c>b[n·ldb + k]</c>).</summary>
    public static void Gemm_F32_Reference(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> b, int ldb, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        const string name = nameof(Gemm_F32_Reference);
        Check(name, a, lda, m, n, k, ep, output);
        KernelArgs.Matrix(name, "B", b.Length, n, k, ldb);
        for (int row = 0; row < m; row++)
        {
            for (int col = 0; col < n; col++)
            {
                float acc = 0f;
                for (int kk = 0; kk < k; kk++) acc = MathF.FusedMultiplyAdd(a[row * lda + kk], b[col * ldb + kk], acc);
                EpilogueStore.Scalar(acc + (ep.Bias.IsEmpty ? 0f : ep.Bias[col]), row, col, ep, output);
            }
        }
    }

    /// <summary>Portable packed kernel (<see cref="System.Numerics.Vector{T}"/>, 4×16 tile).</summary>
    public static void Gemm_F32_Portable(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> packedB, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        Check(nameof(Gemm_F32_Portable), a, lda, m, n, k, ep, output);
        KernelArgs.Length(nameof(Gemm_F32_Portable), "packed B", packedB.Length, PackedLength(n, k));
        GemmF32Portable.Run(a, lda, m, packedB, n, k, ep, output);
    }

    /// <summary>AVX2 + FMA packed kernel, 6×16 register tile (12 accumulators).</summary>
    public static void Gemm_F32_6x16_Avx2Fma(ReadOnlySpan<float> a, int lda, int m, ReadOnlySpan<float> packedB, int n, int k,
        in GemmEpilogue ep, in GemmOutput output)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Gemm_F32_6x16_Avx2Fma)} needs AVX2 and FMA");
        Check(nameof(Gemm_F32_6x16_Avx2Fma), a, lda, m, n, k, ep, output);
        KernelArgs.Length(nameof(Gemm_F32_6x16_Avx2Fma), "packed B", packedB.Length, PackedLength(n, k));
        GemmF32Avx2.Run(a, lda, m, packedB, n, k, ep, output);
    }

    private static void Check(string name, ReadOnlySpan<float> a, int lda, int m, int n, int k, in GemmEpilogue ep, in GemmOutput output)
    {
        KernelArgs.NonNegative(name, nameof(m), m);
        KernelArgs.Positive(name, nameof(n), n);
        KernelArgs.Positive(name, nameof(k), k);
        KernelArgs.Matrix(name, "A", a.Length, m, k, lda);
        KernelArgs.Epilogue(name, ep, output, m, n);
    }
}
