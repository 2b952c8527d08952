namespace QSam2.Runtime.Kernels.Quant;

/// <summary>
/// Portable quantized GEMM over <see cref="QuantWeightPanels"/>: decodes each panel once per call (scalar),
/// then plain C# integer loops, one row × 16 columns at a time. Exercises the same packed layout, weight sums
/// and epilogue as the AVX2 kernel; used where AVX2 is missing and as its layout oracle in tests.
/// </summary>
internal static class QuantGemmPortable
{
    public static void Run(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w,
        in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    {
        int panelBytes = w.DecodedPanelBytes;
        var decoded = scratch.Slice(0, w.Panels * panelBytes);
        for (int p = 0; p < w.Panels; p++) w.DecodePanelScalar(p, decoded.Slice(p * panelBytes, panelBytes));
        var d16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(decoded);

        const int W = QuantWeightPanels.PanelWidth;
        Span<int> acc = stackalloc int[W];
        Span<float> f = stackalloc float[W];
        int zp = aq.ZeroPoint, gl = w.GroupLength;
        for (int row = 0; row < m; row++)
        {
            var x = a.Slice(row * lda, w.K);
            for (int p = 0; p < w.Panels; p++)
            {
                f.Clear();
                for (int g = 0; g < w.Groups; g++)
                {
                    acc.Clear();
                    int kEnd = Math.Min((g + 1) * gl, w.K);
                    for (int k = g * gl; k < kEnd; k++)
                    {
                        int xv = x[k];
                        for (int j = 0; j < W; j++)
                        {
                            int code = w.Bits == 8
                                ? d16[p * (panelBytes / 2) + 32 * (k >> 1) + 2 * j + (k & 1)]
                                : (sbyte)decoded[p * panelBytes + 64 * (k >> 2) + 4 * j + (k & 3)];
                            acc[j] += xv * code;
                        }
                    }
                    int meta = w.MetaOffset(p, g);
                    for (int j = 0; j < W; j++)
                    {
                        int corrected = acc[j] - zp * w.Sums[meta + j];
                        f[j] = MathF.FusedMultiplyAdd(corrected, w.Scales[meta + j], f[j]);
                    }
                }
                int cols = Math.Min(W, w.N - p * W);
                for (int j = 0; j < cols; j++)
                {
                    int n = p * W + j;
                    float bias = ep.Bias.IsEmpty ? 0f : ep.Bias[n];
                    EpilogueStore.Scalar(MathF.FusedMultiplyAdd(f[j], aq.Scale, bias), row, n, ep, output);
                }
            }
        }
    }
}
