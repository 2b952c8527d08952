namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// Conv2d (batch 1, groups 1, dilation 1) as im2col + <see cref="GemmF32"/>, output channels-last
/// <c>[Ho, Wo, Cout]</c> (what the Hiera trunk consumes). One output row at a time is unfolded into scratch
/// (<c>Wo × Cin·kh·kw</c> floats, zeros where the window hangs over the padding), then multiplied by the packed
/// weight with the bias fused. <see cref="PatchEmbed_7x7s4p3"/> is SAM2's patch embedding (Conv2d(3 → C, 7, 4, 3)).
/// </summary>
public static class Conv2dKernels
{
    /// <summary>Scratch floats for an input of width <paramref name="w"/>.</summary>
    public static int ScratchFloats(PackedConv2d conv, int h, int w) => conv.OutputSize(h, w).W * conv.K;

    /// <summary>Dispatching entry point.</summary>
    public static void Conv2d(ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, PackedConv2d conv, Span<float> output, Span<float> scratch)
    {
        if (KernelIsa.UseAvx2Fma) Conv2d_Im2col_Avx2Fma(input, layout, h, w, conv, output, scratch);
        else Conv2d_Im2col_Portable(input, layout, h, w, conv, output, scratch);
    }

    /// <summary>SAM2 patch embedding: planar [3, H, W] image → channels-last [H/4, W/4, C] tokens.</summary>
    public static void PatchEmbed_7x7s4p3(ReadOnlySpan<float> image, int h, int w, PackedConv2d conv, Span<float> output, Span<float> scratch)
    {
        if (conv.KernelH != 7 || conv.KernelW != 7 || conv.Stride != 4 || conv.Pad != 3)
        {
            throw new ArgumentException($"{nameof(PatchEmbed_7x7s4p3)}: conv is {conv.KernelH}×{conv.KernelW} stride {conv.Stride} pad {conv.Pad}");
        }
        Conv2d(image, ConvInputLayout.Planar, h, w, conv, output, scratch);
    }

    /// <summary>Direct-loop definition on the official weight layout (tests).</summary>
    public static void Conv2d_Reference(ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, int cout, int cin, int kh, int kw, int stride, int pad, Span<float> output)
    {
        int ho = (h + 2 * pad - kh) / stride + 1, wo = (w + 2 * pad - kw) / stride + 1;
        KernelArgs.Length(nameof(Conv2d_Reference), "input", input.Length, (long)cin * h * w);
        KernelArgs.Length(nameof(Conv2d_Reference), "output", output.Length, (long)ho * wo * cout);
        for (int oy = 0; oy < ho; oy++)
        {
            for (int ox = 0; ox < wo; ox++)
            {
                for (int o = 0; o < cout; o++)
                {
                    float acc = 0f;
                    for (int c = 0; c < cin; c++)
                    {
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = oy * stride - pad + ky;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = ox * stride - pad + kx;
                                float x = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : input[Index(layout, c, iy, ix, cin, h, w)];
                                acc = MathF.FusedMultiplyAdd(x, weight[((o * cin + c) * kh + ky) * kw + kx], acc);
                            }
                        }
                    }
                    output[(oy * wo + ox) * cout + o] = acc + (bias.IsEmpty ? 0f : bias[o]);
                }
            }
        }
    }

    /// <summary>im2col + portable GEMM.</summary>
    public static void Conv2d_Im2col_Portable(ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, PackedConv2d conv,
        Span<float> output, Span<float> scratch) => Run(nameof(Conv2d_Im2col_Portable), input, layout, h, w, conv, output, scratch, avx: false);

    /// <summary>im2col + AVX2 GEMM.</summary>
    public static void Conv2d_Im2col_Avx2Fma(ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, PackedConv2d conv,
        Span<float> output, Span<float> scratch)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(Conv2d_Im2col_Avx2Fma)} needs AVX2 and FMA");
        Run(nameof(Conv2d_Im2col_Avx2Fma), input, layout, h, w, conv, output, scratch, avx: true);
    }

    private static void Run(string name, ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, PackedConv2d conv,
        Span<float> output, Span<float> scratch, bool avx)
    {
        ArgumentNullException.ThrowIfNull(conv);
        KernelArgs.Positive(name, nameof(h), h);
        KernelArgs.Positive(name, nameof(w), w);
        var (ho, wo) = conv.OutputSize(h, w);
        if (ho <= 0 || wo <= 0) throw new ArgumentException($"{name}: input {h}×{w} is smaller than the {conv.KernelH}×{conv.KernelW} kernel");
        KernelArgs.Length(name, "input", input.Length, (long)conv.InChannels * h * w);
        KernelArgs.Length(name, "output", output.Length, (long)ho * wo * conv.OutChannels);
        int k = conv.K;
        KernelArgs.Length(name, "scratch", scratch.Length, (long)wo * k);
        var cols = scratch.Slice(0, wo * k);
        var ep = new GemmEpilogue { Bias = conv.Bias };
        for (int oy = 0; oy < ho; oy++)
        {
            Im2colRow(input, layout, h, w, conv, oy, wo, cols);
            var outRow = GemmOutput.Float(output.Slice(oy * wo * conv.OutChannels, wo * conv.OutChannels), conv.OutChannels);
            if (avx) GemmF32.Gemm_F32_6x16_Avx2Fma(cols, k, wo, conv.PackedWeights, conv.OutChannels, k, ep, outRow);
            else GemmF32.Gemm_F32_Portable(cols, k, wo, conv.PackedWeights, conv.OutChannels, k, ep, outRow);
        }
    }

    /// <summary>Unfolds output row <paramref name="oy"/>: row ox of <paramref name="cols"/> is the (c, ky, kx) window.</summary>
    private static void Im2colRow(ReadOnlySpan<float> input, ConvInputLayout layout, int h, int w, PackedConv2d conv, int oy, int wo, Span<float> cols)
    {
        int cin = conv.InChannels, kh = conv.KernelH, kw = conv.KernelW, s = conv.Stride, pad = conv.Pad, k = conv.K;
        for (int ox = 0; ox < wo; ox++)
        {
            var row = cols.Slice(ox * k, k);
            int i = 0;
            for (int c = 0; c < cin; c++)
            {
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * s - pad + ky;
                    for (int kx = 0; kx < kw; kx++, i++)
                    {
                        int ix = ox * s - pad + kx;
                        row[i] = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0f : input[Index(layout, c, iy, ix, cin, h, w)];
                    }
                }
            }
        }
    }

    private static int Index(ConvInputLayout layout, int c, int y, int x, int channels, int h, int w) =>
        layout == ConvInputLayout.Planar ? (c * h + y) * w + x : (y * w + x) * channels + c;
}
