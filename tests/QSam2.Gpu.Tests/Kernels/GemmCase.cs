using QSam2.Gpu.Kernels;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>Random operands for one GEMM shape, and host-side im2col / quantization to feed the CPU references.</summary>
internal sealed class GemmCase<TShape>
    where TShape : struct, IGemmShape
{
    public GemmCase(int rows, int seed, int weightBits, bool codesInput)
    {
        var s = default(TShape);
        var r = new Random(seed);
        N = s.N;
        K = s.K;
        if (s.Input is GemmInput.Im2ColPlanar or GemmInput.Im2ColChannelsLast)
        {
            int oh = (s.ConvHeight + 2 * s.ConvPadding - s.ConvKernel) / s.ConvStride + 1;
            int ow = (s.ConvWidth + 2 * s.ConvPadding - s.ConvKernel) / s.ConvStride + 1;
            Rows = oh * ow;
            Source = Data.Floats(r, s.ConvChannels * s.ConvHeight * s.ConvWidth, 2f);
            Matrix = Im2Col(Source, s, oh, ow);
        }
        else
        {
            Rows = rows;
            Source = Data.Floats(r, rows * K, 3f);
            Matrix = Source;
        }
        InputQuant = new ActivationQuantParams(0.025f, 131, 8);
        InputCodes = codesInput ? Data.Codes(r, Rows * K, 255) : Matrix.Select(InputQuant.Quantize).ToArray();
        Bias = s.HasBias ? Data.Floats(r, N, 0.5f) : null;
        Residual = s.Residual ? Data.Floats(r, Rows * N, 1f) : null;
        OutputQuant = ActivationQuantParams.FromRange(-1.5f, 2.5f, 8);
        FloatWeights = Data.Floats(r, N * K, 0.3f);
        if (weightBits <= 8)
        {
            int groups = K / s.GroupSize;
            Weights = QuantizedWeights.Create(Data.WeightCodes(r, N * K, weightBits), Data.Positive(r, N * groups, 0.002f, 0.03f),
                N, K, weightBits, s.GroupSize == K ? 0 : s.GroupSize, "test layer");
        }
    }

    public int Rows { get; }
    public int N { get; }
    public int K { get; }

    /// <summary>What the device reads: the float rows or the conv input map.</summary>
    public float[] Source { get; }

    /// <summary>The A matrix [Rows, K] in float (im2col of the map for convolutions).</summary>
    public float[] Matrix { get; }

    /// <summary>A as codes: random for codes-input shapes, else the quantized <see cref="Matrix"/>.</summary>
    public byte[] InputCodes { get; }

    public ActivationQuantParams InputQuant { get; }
    public ActivationQuantParams OutputQuant { get; }
    public float[]? Bias { get; }
    public float[]? Residual { get; }
    public float[] FloatWeights { get; }
    public QuantizedWeights? Weights { get; }

    /// <summary>Unfolds patches in the weight's (c, ky, kx) order with zeros outside the image (Sam2Ops.Im2ColGemm's rule).</summary>
    private static float[] Im2Col(float[] map, TShape s, int oh, int ow)
    {
        int k = s.ConvChannels * s.ConvKernel * s.ConvKernel;
        var cols = new float[oh * ow * k];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                int i = 0;
                for (int c = 0; c < s.ConvChannels; c++)
                    for (int ky = 0; ky < s.ConvKernel; ky++)
                        for (int kx = 0; kx < s.ConvKernel; kx++, i++)
                        {
                            int y = oy * s.ConvStride - s.ConvPadding + ky, x = ox * s.ConvStride - s.ConvPadding + kx;
                            bool inside = y >= 0 && y < s.ConvHeight && x >= 0 && x < s.ConvWidth;
                            cols[(oy * ow + ox) * k + i] = !inside ? 0f
                                : s.Input == GemmInput.Im2ColPlanar ? map[(c * s.ConvHeight + y) * s.ConvWidth + x]
                                : map[(y * s.ConvWidth + x) * s.ConvChannels + c];
                        }
            }
        return cols;
    }
}
