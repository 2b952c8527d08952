using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The building blocks generated segmenters call, with every size and arena offset a compile-time constant at the
/// call site. This part: the weight layers (GEMM, im2col conv, transposed 2×2 conv), row tile by row tile, with the
/// kernels' fused epilogue (bias or dequantization, GELU, residual, store or requantize for the next layer).
/// Offsets are byte offsets into the <see cref="SegmenterArena"/>; -1 means "none".
/// </summary>
public static partial class Sam2Ops
{
    /// <summary>
    /// <c>output = epilogue(input · Wᵀ)</c> over <paramref name="rows"/> rows. Float input is quantized per tile for a
    /// quantized layer (or arrives as codes when <paramref name="inputIsCodes"/>); <paramref name="quantizeFor"/> makes
    /// the epilogue write that layer's input codes instead of floats.
    /// </summary>
    public static void Gemm(SegmenterArena a, LinearLayer layer, long input, bool inputIsCodes, int rows, long output, int rowTile, int workers,
        bool gelu, long residual, LinearLayer? quantizeFor, long scratch, long scratchBytes)
    {
        int n = layer.N, k = layer.K;
        if (inputIsCodes && !layer.Quantized) throw new InvalidOperationException($"{layer.Name}: a float layer cannot take activation codes");
        TileRunner.Run(layer, rows, rowTile, workers, scratch, scratchBytes, (r0, m, slot, slotBytes) =>
        {
            var s = new GemmScratch(a, layer, slot, slotBytes, rowTile, im2col: false, needCodes: layer.Quantized && !inputIsCodes, preScatter: false);
            var ep = new GemmEpilogue
            {
                Bias = layer.Bias,
                Gelu = gelu,
                Residual = residual >= 0 ? a.F(residual + 4L * r0 * n, m * n) : default,
                ResidualStride = n,
            };
            var outSpec = quantizeFor != null
                ? GemmOutput.Quantized(a.B(output + (long)r0 * n, m * n), n, quantizeFor.InputQuant)
                : GemmOutput.Float(a.F(output + 4L * r0 * n, m * n), n);
            if (layer.Quantized)
            {
                ReadOnlySpan<byte> codes = inputIsCodes
                    ? a.B(input + (long)r0 * k, m * k)
                    : QuantizeInto(a, layer, ObserveOnly(layer, a.F(input + 4L * r0 * k, m * k)), s.Codes, m * k);
                layer.Kernel!(codes, k, m, layer.InputQuant, layer.Panels!, ep, outSpec, s.KernelSpan);
            }
            else
            {
                GemmF32.Gemm_F32(layer.PrepareFloatInput(a.F(input + 4L * r0 * k, m * k)), k, m, layer.PackedWeights, n, k, ep, outSpec);
            }
        });
    }

    /// <summary>
    /// k×k convolution (batch 1, groups 1) as im2col + GEMM, output channels-last <c>[Ho·Wo, Cout]</c>. The input is
    /// planar <c>[C, H, W]</c> when <paramref name="nchw"/>, otherwise channels-last <c>[H·W, C]</c>; patches are
    /// unfolded in the weight's (c, ky, kx) order with zeros outside the image.
    /// </summary>
    public static void Im2ColGemm(SegmenterArena a, LinearLayer layer, long input, bool nchw, int channels, int height, int width,
        int kernel, int stride, int padding, long output, int rowTile, int workers, long scratch, long scratchBytes)
    {
        int oh = (height + 2 * padding - kernel) / stride + 1, ow = (width + 2 * padding - kernel) / stride + 1;
        int rows = oh * ow, k = layer.K, n = layer.N;
        if (k != channels * kernel * kernel) throw new ArgumentException($"{layer.Name}: K = {k} but the conv has {channels}·{kernel}·{kernel}");
        TileRunner.Run(layer, rows, rowTile, workers, scratch, scratchBytes, (r0, m, slot, slotBytes) =>
        {
            var s = new GemmScratch(a, layer, slot, slotBytes, rowTile, im2col: true, needCodes: layer.Quantized, preScatter: false);
            var src = a.F(input, channels * height * width);
            var cols = a.F(s.Im2Col, m * k);
            for (int r = 0; r < m; r++)
            {
                int oy = (r0 + r) / ow, ox = (r0 + r) % ow;
                var dst = cols.Slice(r * k, k);
                int i = 0;
                for (int c = 0; c < channels; c++)
                {
                    for (int ky = 0; ky < kernel; ky++)
                    {
                        int y = oy * stride - padding + ky;
                        for (int kx = 0; kx < kernel; kx++, i++)
                        {
                            int x = ox * stride - padding + kx;
                            dst[i] = y < 0 || y >= height || x < 0 || x >= width ? 0f
                                : nchw ? src[(c * height + y) * width + x] : src[(y * width + x) * channels + c];
                        }
                    }
                }
            }
            var ep = new GemmEpilogue { Bias = layer.Bias };
            var outSpec = GemmOutput.Float(a.F(output + 4L * r0 * n, m * n), n);
            if (layer.Quantized)
            {
                var codes = QuantizeInto(a, layer, ObserveOnly(layer, cols), s.Codes, m * k);
                layer.Kernel!(codes, k, m, layer.InputQuant, layer.Panels!, ep, outSpec, s.KernelSpan);
            }
            else
            {
                GemmF32.Gemm_F32(layer.PrepareFloatInput(cols), k, m, layer.PackedWeights, n, k, ep, outSpec);
            }
        });
    }

    /// <summary>
    /// ConvTranspose2d k2 s2 on channels-last <c>[H·W, Cin]</c> → <c>[2H·2W, Cout]</c>: per tile a GEMM to the four taps,
    /// then each tap's Cout values go to pixel (2i + a, 2j + b), plus the same pixel of <paramref name="add"/> when given.
    /// </summary>
    public static void ConvTranspose2x2(SegmenterArena a, LinearLayer layer, long input, int height, int width, long output, long add,
        int rowTile, int workers, long scratch, long scratchBytes)
    {
        int rows = height * width, k = layer.K, n = layer.N, cout = n / 4;
        int ow = 2 * width;
        TileRunner.Run(layer, rows, rowTile, workers, scratch, scratchBytes, (r0, m, slot, slotBytes) =>
        {
            var s = new GemmScratch(a, layer, slot, slotBytes, rowTile, im2col: false, needCodes: layer.Quantized, preScatter: true);
            var dstAll = a.F(output, 4 * rows * cout);
            var addAll = add >= 0 ? a.F(add, 4 * rows * cout) : default;
            var pre = a.F(s.PreScatter, m * n);
            var ep = new GemmEpilogue { Bias = layer.Bias };
            var outSpec = GemmOutput.Float(pre, n);
            var x = a.F(input + 4L * r0 * k, m * k);
            if (layer.Quantized)
            {
                var codes = QuantizeInto(a, layer, ObserveOnly(layer, x), s.Codes, m * k);
                layer.Kernel!(codes, k, m, layer.InputQuant, layer.Panels!, ep, outSpec, s.KernelSpan);
            }
            else
            {
                GemmF32.Gemm_F32(layer.PrepareFloatInput(x), k, m, layer.PackedWeights, n, k, ep, outSpec);
            }
            for (int r = 0; r < m; r++)
            {
                int i = (r0 + r) / width, j = (r0 + r) % width;
                for (int tap = 0; tap < 4; tap++)
                {
                    int y = 2 * i + (tap >> 1), xx = 2 * j + (tap & 1);
                    var from = pre.Slice(r * n + tap * cout, cout);
                    var to = dstAll.Slice((y * ow + xx) * cout, cout);
                    if (add >= 0) VectorOps.Add(from, addAll.Slice((y * ow + xx) * cout, cout), to);
                    else from.CopyTo(to);
                }
            }
        });
    }

    private static ReadOnlySpan<float> ObserveOnly(LinearLayer layer, ReadOnlySpan<float> x)
    {
        layer.Observer?.Invoke(layer, x);
        return x;
    }

    private static ReadOnlySpan<byte> QuantizeInto(SegmenterArena a, LinearLayer layer, ReadOnlySpan<float> x, long codesOffset, int count)
    {
        var codes = a.B(codesOffset, count);
        ActivationQuantKernels.Quantize(x, codes, layer.InputQuant);
        return codes;
    }
}
