namespace QSam2.Runtime.Kernels.Float;

/// <summary>
/// ConvTranspose2d(kernel 2, stride 2, no padding) on channels-last data: input <c>[H, W, Cin]</c> →
/// output <c>[2H, 2W, Cout]</c> (the mask decoder's upscaling). Each input row is one GEMM
/// (<see cref="PackedConvTranspose2x2"/>) into scratch <c>[W, 4·Cout]</c>, then every (a, b) column block is
/// copied to output pixel (2i + a, 2j + b). Scratch: <see cref="ScratchFloats"/>.
/// </summary>
public static class ConvTranspose2x2Kernels
{
    /// <summary>Scratch floats for input width <paramref name="w"/>.</summary>
    public static int ScratchFloats(PackedConvTranspose2x2 conv, int w) => w * 4 * conv.OutChannels;

    /// <summary>Dispatching entry point.</summary>
    public static void ConvTranspose2x2(ReadOnlySpan<float> input, int h, int w, PackedConvTranspose2x2 conv, Span<float> output, Span<float> scratch)
    {
        if (KernelIsa.UseAvx2Fma) ConvTranspose2x2_Avx2Fma(input, h, w, conv, output, scratch);
        else ConvTranspose2x2_Portable(input, h, w, conv, output, scratch);
    }

    /// <summary>Definition on the official weight <c>[Cin, Cout, 2, 2]</c>.</summary>
    public static void ConvTranspose2x2_Reference(ReadOnlySpan<float> input, int h, int w, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int cin, int cout, Span<float> output)
    {
        KernelArgs.Length(nameof(ConvTranspose2x2_Reference), "input", input.Length, (long)h * w * cin);
        KernelArgs.Length(nameof(ConvTranspose2x2_Reference), "output", output.Length, 4L * h * w * cout);
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        for (int o = 0; o < cout; o++)
                        {
                            float acc = 0f;
                            for (int c = 0; c < cin; c++)
                                acc = MathF.FusedMultiplyAdd(input[(i * w + j) * cin + c], weight[((c * cout + o) * 2 + a) * 2 + b], acc);
                            output[((2 * i + a) * 2 * w + 2 * j + b) * cout + o] = acc + (bias.IsEmpty ? 0f : bias[o]);
                        }
    }

    /// <summary>Portable GEMM + scatter.</summary>
    public static void ConvTranspose2x2_Portable(ReadOnlySpan<float> input, int h, int w, PackedConvTranspose2x2 conv, Span<float> output, Span<float> scratch) =>
        Run(nameof(ConvTranspose2x2_Portable), input, h, w, conv, output, scratch, avx: false);

    /// <summary>AVX2 GEMM + scatter.</summary>
    public static void ConvTranspose2x2_Avx2Fma(ReadOnlySpan<float> input, int h, int w, PackedConvTranspose2x2 conv, Span<float> output, Span<float> scratch)
    {
        if (!KernelIsa.UseAvx2Fma) throw new PlatformNotSupportedException($"{nameof(ConvTranspose2x2_Avx2Fma)} needs AVX2 and FMA");
        Run(nameof(ConvTranspose2x2_Avx2Fma), input, h, w, conv, output, scratch, avx: true);
    }

    private static void Run(string name, ReadOnlySpan<float> input, int h, int w, PackedConvTranspose2x2 conv, Span<float> output, Span<float> scratch, bool avx)
    {
        ArgumentNullException.ThrowIfNull(conv);
        KernelArgs.Positive(name, nameof(h), h);
        KernelArgs.Positive(name, nameof(w), w);
        int cin = conv.InChannels, cout = conv.OutChannels, n = 4 * cout;
        KernelArgs.Length(name, "input", input.Length, (long)h * w * cin);
        KernelArgs.Length(name, "output", output.Length, 4L * h * w * cout);
        KernelArgs.Length(name, "scratch", scratch.Length, (long)w * n);
        var tmp = scratch.Slice(0, w * n);
        var ep = new GemmEpilogue { Bias = conv.Bias4 };
        for (int i = 0; i < h; i++)
        {
            var rowIn = input.Slice(i * w * cin, w * cin);
            if (avx) GemmF32.Gemm_F32_6x16_Avx2Fma(rowIn, cin, w, conv.PackedWeights, n, cin, ep, GemmOutput.Float(tmp, n));
            else GemmF32.Gemm_F32_Portable(rowIn, cin, w, conv.PackedWeights, n, cin, ep, GemmOutput.Float(tmp, n));
            for (int j = 0; j < w; j++)
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        tmp.Slice(j * n + (2 * a + b) * cout, cout).CopyTo(output.Slice(((2 * i + a) * 2 * w + 2 * j + b) * cout, cout));
        }
    }
}
