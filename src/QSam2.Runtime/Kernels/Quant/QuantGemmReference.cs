namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Scalar definition of the quantized GEMM (docs/quantization.md §5), straight from the canonical codes:
/// <code>
/// acc[m,n,g] = Σ_{k ∈ group g} (a[m,k] − zp_a) · q_w[n,k]                       (exact int32)
/// F[m,n]     = fma(float(acc[m,n,G−1]), s_w[n,G−1], … fma(float(acc[m,n,0]), s_w[n,0], 0))   (groups in order)
/// y[m,n]     = fma(F, s_a, bias[n])                                             (bias 0 when absent)
/// </code>
/// then GELU, residual and store/quantize (<see cref="EpilogueStore.Scalar"/>). The panel kernels compute the
/// same accumulators as <c>Σ a·q − zp_a·Σ q</c>, equal in int32, and the same float operations, so their outputs
/// are bit-identical to this one.
/// </summary>
internal static class QuantGemmReference
{
    public static void Run(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w,
        in GemmEpilogue ep, in GemmOutput output)
    {
        int k = w.K, g = w.GroupSize, groups = w.Groups, zp = aq.ZeroPoint;
        for (int row = 0; row < m; row++)
        {
            var x = a.Slice(row * lda, k);
            for (int n = 0; n < w.N; n++)
            {
                var codes = w.Codes.AsSpan(n * k, k);
                float f = 0f;
                for (int gi = 0; gi < groups; gi++)
                {
                    int acc = 0;
                    for (int kk = gi * g; kk < (gi + 1) * g; kk++) acc += (x[kk] - zp) * codes[kk];
                    f = MathF.FusedMultiplyAdd(acc, w.Scales[n * groups + gi], f);
                }
                float bias = ep.Bias.IsEmpty ? 0f : ep.Bias[n];
                EpilogueStore.Scalar(MathF.FusedMultiplyAdd(f, aq.Scale, bias), row, n, ep, output);
            }
        }
    }
}
