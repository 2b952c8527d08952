using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The signature of QSam2.Runtime's named integer GEMMs (<c>QuantGemm.Gemm_W4A8_PerChannel</c>, ...). Generated code
/// binds each quantized layer to the exact variant its bits and granularity call for, so a missing variant is a
/// compile error, not a runtime surprise.
/// </summary>
public delegate void QuantGemmKernel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w,
    in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch);
