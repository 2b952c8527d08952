namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// 1×1 convolution on channels-last data (FPN laterals, conv_s0/conv_s1, the mask downsampler's last conv):
/// exactly a GEMM of the pixels <c>x[P, Cin]</c> with the weight <c>[Cout, Cin(, 1, 1)]</c> packed by
/// <see cref="GemmF32.PackB_FromNK"/>, bias and any epilogue fused. Output <c>[P, Cout]</c> (stride ldy).
/// </summary>
public static class Conv1x1Kernels
{
    /// <summary>Dispatching entry point.</summary>
    public static void Conv1x1(ReadOnlySpan<float> x, int pixels, int cin, ReadOnlySpan<float> packedWeight, int cout,
        in GemmEpilogue ep, Span<float> y, int ldy) =>
        GemmF32.Gemm_F32(x, cin, pixels, packedWeight, cout, cin, ep, GemmOutput.Float(y, ldy));

    /// <summary>Definition on the unpacked weight.</summary>
    public static void Conv1x1_Reference(ReadOnlySpan<float> x, int pixels, int cin, ReadOnlySpan<float> weight, int cout,
        in GemmEpilogue ep, Span<float> y, int ldy) =>
        GemmF32.Gemm_F32_Reference(x, cin, pixels, weight, cin, cout, cin, ep, GemmOutput.Float(y, ldy));

    /// <summary>Portable GEMM.</summary>
    public static void Conv1x1_Portable(ReadOnlySpan<float> x, int pixels, int cin, ReadOnlySpan<float> packedWeight, int cout,
        in GemmEpilogue ep, Span<float> y, int ldy) =>
        GemmF32.Gemm_F32_Portable(x, cin, pixels, packedWeight, cout, cin, ep, GemmOutput.Float(y, ldy));

    /// <summary>AVX2 GEMM.</summary>
    public static void Conv1x1_Avx2Fma(ReadOnlySpan<float> x, int pixels, int cin, ReadOnlySpan<float> packedWeight, int cout,
        in GemmEpilogue ep, Span<float> y, int ldy) =>
        GemmF32.Gemm_F32_6x16_Avx2Fma(x, cin, pixels, packedWeight, cout, cin, ep, GemmOutput.Float(y, ldy));
}
