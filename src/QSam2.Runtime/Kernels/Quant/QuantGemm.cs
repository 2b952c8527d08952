namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Quantized GEMM with fused float epilogue (docs/quantization.md §5–§7):
/// <c>C[M,N] = epilogue(A[M,K] · W[N,K]ᵀ)</c> with A = uint8 activation codes (zero point zp_a, scale s_a,
/// row stride lda) and W = signed b-bit weight codes with per-channel or per-group scales.
/// <para>Usage: at load, <c>var panels = QuantGemm.PackWeights(QuantizedWeights.Create(codes, scales, n, k, bits, group, name))</c>;
/// per call, <c>QuantGemm.Gemm(a, lda, m, aq, panels, epilogue, GemmOutput.Float(c, ldc) or GemmOutput.Quantized(codes, ldc, next), scratch)</c>
/// with <c>scratch.Length ≥ ScratchBytes(panels, m)</c>. Kernels never allocate.</para>
/// <para>Three implementations with identical results (bit for bit, outputs and codes): <c>Gemm_Reference</c>
/// (scalar, on canonical codes), <c>Gemm_Portable</c> and <c>Gemm_4x16_Avx2</c> (both on panels). <see cref="Gemm"/>
/// picks one from <see cref="KernelIsa.UseAvx2Fma"/>. Named per-format entry points are in <c>QuantGemm.Variants.cs</c>.</para>
/// </summary>
public static partial class QuantGemm
{
    /// <summary>Repacks canonical weights into kernel panels (once per layer, at load).</summary>
    public static QuantWeightPanels PackWeights(QuantizedWeights weights) => QuantWeightPanels.Pack(weights);

    /// <summary>Scratch bytes a call with <paramref name="m"/> rows needs (same for every implementation).</summary>
    public static long ScratchBytes(QuantWeightPanels weights, int m) => QuantGemmAvx2.ScratchBytes(weights, m);

    /// <summary>The dispatching entry point (AVX2 when available, otherwise portable).</summary>
    public static void Gemm(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels weights,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        if (KernelIsa.UseAvx2Fma) Gemm_4x16_Avx2(a, lda, m, aq, weights, ep, output, scratch);
        else Gemm_Portable(a, lda, m, aq, weights, ep, output, scratch);
    }

    /// <summary>Scalar definition, directly on canonical codes (tests and documentation).</summary>
    public static void Gemm_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights weights,
        in GemmEpilogue ep, in GemmOutput output)
    {
        const string name = nameof(Gemm_Reference);
        KernelArgs.NonNegative(name, nameof(m), m);
        KernelArgs.Matrix(name, "A", a.Length, m, weights.K, lda);
        KernelArgs.Activation(name, aq);
        KernelArgs.Epilogue(name, ep, output, m, weights.N);
        QuantGemmReference.Run(a, lda, m, aq, weights, ep, output);
    }

    /// <summary>Portable panel kernel (plain C#).</summary>
    public static void Gemm_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels weights,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        Check(nameof(Gemm_Portable), a, lda, m, aq, weights, ep, output, scratch);
        QuantGemmPortable.Run(a, lda, m, aq, weights, ep, output, scratch);
    }

    /// <summary>AVX2 panel kernel, 4×16 micro-tile.</summary>
    public static void Gemm_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels weights,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Gemm_4x16_Avx2)} needs AVX2 and FMA");
        Check(nameof(Gemm_4x16_Avx2), a, lda, m, aq, weights, ep, output, scratch);
        QuantGemmAvx2.Run(a, lda, m, aq, weights, ep, output, scratch);
    }

    private static void Check(string name, ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels weights,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(weights);
        KernelArgs.NonNegative(name, nameof(m), m);
        KernelArgs.Matrix(name, "A", a.Length, m, weights.K, lda);
        KernelArgs.Activation(name, aq);
        KernelArgs.Epilogue(name, ep, output, m, weights.N);
        KernelArgs.Scratch(name, scratch.Length, ScratchBytes(weights, m));
    }
}
