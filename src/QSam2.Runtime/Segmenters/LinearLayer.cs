using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// One weight layer viewed as a GEMM <c>y[M, N] = x[M, K] · Wᵀ + bias</c>, prepared once at load: float weights packed
/// for <see cref="GemmF32"/>, or canonical codes repacked into <see cref="QuantWeightPanels"/> with the layer's static
/// input quantization and the integer-GEMM variant chosen at compile time.
/// <para>Conv weights [out, in, kh, kw] are [N = out, K = in·kh·kw]. ConvTranspose2d weights [in, out, 2, 2] become
/// [N = 4·out, K = in] with column <c>n = (2a + b)·out + o</c> (tap (a, b), output channel o), so each tap's outputs are
/// contiguous for the channels-last scatter; bias and per-channel scales repeat per tap.</para>
/// </summary>
public sealed class LinearLayer
{
    private LinearLayer(string name, WeightLayout layout, int n, int k)
    {
        Name = name;
        Layout = layout;
        N = n;
        K = k;
    }

    public string Name { get; }

    /// <summary>How the official weight maps to the GEMM view.</summary>
    public WeightLayout Layout { get; }

    /// <summary>GEMM output columns.</summary>
    public int N { get; }

    /// <summary>GEMM reduction length.</summary>
    public int K { get; }

    public bool Quantized => Panels != null;

    /// <summary>Bias per GEMM column (empty when the layer has none).</summary>
    public float[] Bias { get; private set; } = Array.Empty<float>();

    /// <summary>Float weights packed by <see cref="GemmF32.PackB_FromNK"/> (float layers).</summary>
    public float[]? PackedWeights { get; private set; }

    /// <summary>Integer weights (quantized layers).</summary>
    public QuantWeightPanels? Panels { get; private set; }

    /// <summary>Static quantization of this layer's input (quantized layers).</summary>
    public ActivationQuantParams InputQuant { get; private set; }

    /// <summary>The integer GEMM variant (quantized layers).</summary>
    public QuantGemmKernel? Kernel { get; private set; }

    /// <summary>
    /// Set on a float layer loaded from a quantized export through a simulating source (<see cref="FakeQuantWeightSource"/>):
    /// weights are the dequantized codes and every input is fake-quantized with these parameters before the float GEMM.
    /// </summary>
    public ActivationQuantParams? SimulatedInputQuant { get; private set; }

    /// <summary>Called with every float input row tile before the GEMM (calibration, debugging); null when unused.</summary>
    public LayerInputObserver? Observer { get; set; }

    private float[]? _simulationBuffer;

    /// <summary>
    /// Loads <c>{layer}.weight</c> (and <c>.bias</c>) with the official <paramref name="shape"/>. A quantized layer needs
    /// <paramref name="kernel"/> and reads codes, scales and its input quantization from <paramref name="w"/>.
    /// </summary>
    public static LinearLayer Load(WeightSource w, string layer, WeightLayout layout, int[] shape, bool hasBias,
        bool quantized, int weightBits, int groupSize, int activationBits, QuantGemmKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(shape);
        int n, k, outChannels, taps;
        switch (layout)
        {
            case WeightLayout.ConvTranspose:
                outChannels = shape[1];
                taps = shape[2] * shape[3];
                n = outChannels * taps;
                k = shape[0];
                break;
            default:
                outChannels = shape[0];
                taps = 1;
                n = shape[0];
                k = 1;
                for (int i = 1; i < shape.Length; i++) k *= shape[i];
                break;
        }
        var result = new LinearLayer(layer, layout, n, k);
        if (hasBias)
        {
            var bias = w.Float(layer + ".bias", new[] { outChannels });
            result.Bias = taps == 1 ? bias : Repeat(bias, taps);
        }

        if (!quantized)
        {
            float[] weight;
            if (w.IsQuantized(layer))
            {
                // Only a simulating source hands quantized tensors to a float layer.
                result.SimulatedInputQuant = w.SimulatedInputQuant(layer)
                    ?? throw new InvalidDataException($"{w.Source}: layer '{layer}' is quantized in this export but float in this segmenter");
                weight = Dequantize(w.Quantized(layer, shape), layout == WeightLayout.ConvTranspose ? 1 : 0);
            }
            else
            {
                weight = w.Float(layer + ".weight", shape);
            }
            var matrix = layout == WeightLayout.ConvTranspose ? TransposeConvT(weight, shape) : weight;
            var packed = new float[GemmF32.PackedLength(n, k)];
            GemmF32.PackB_FromNK(matrix, k, n, k, packed);
            result.PackedWeights = packed;
            return result;
        }

        if (kernel is null) throw new ArgumentNullException(nameof(kernel), $"{layer}: a quantized layer needs its integer GEMM kernel");
        if (!w.IsQuantized(layer))
            throw new InvalidDataException($"{w.Source}: layer '{layer}' is stored in float, but this segmenter was compiled with it quantized (W{weightBits}A{activationBits}); export a .qsw for this structure");
        var q = w.Quantized(layer, shape);
        sbyte[] codes = q.Codes;
        float[] scales = q.Scales;
        if (layout == WeightLayout.ConvTranspose)
        {
            codes = TransposeConvT(codes, shape);
            if (scales.Length > 1) scales = Repeat(scales, taps);
        }
        var canonical = QuantizedWeights.Create(codes, scales, n, k, weightBits, groupSize, $"{w.Source}: {layer}");
        result.Panels = QuantGemm.PackWeights(canonical);
        result.InputQuant = w.Activation(layer, activationBits);
        result.Kernel = kernel;
        return result;
    }

    /// <summary>
    /// The float input the GEMM sees for a tile: <paramref name="x"/> itself, or (simulation) a fake-quantized copy
    /// <c>(clamp(round(x/s) + zp) − zp)·s</c>. Also feeds the observer.
    /// </summary>
    internal ReadOnlySpan<float> PrepareFloatInput(ReadOnlySpan<float> x)
    {
        Observer?.Invoke(this, x);
        if (SimulatedInputQuant is not { } q) return x;
        if (_simulationBuffer is null || _simulationBuffer.Length < x.Length) _simulationBuffer = new float[x.Length];
        var buffer = _simulationBuffer.AsSpan(0, x.Length);
        for (int i = 0; i < x.Length; i++) buffer[i] = q.Dequantize(q.Quantize(x[i]));
        return buffer;
    }

    /// <summary>Codes × scales in the official layout (per tensor, per channel on <paramref name="axis"/>, or per group on axis 0).</summary>
    internal static float[] Dequantize(QuantizedTensor q, int axis)
    {
        var shape = q.Shape;
        var result = new float[q.Codes.Length];
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        int channels = shape[axis];
        int inner = q.Codes.Length / (outer * channels);
        int groups = q.ScaleShape.Length == 2 ? q.ScaleShape[1] : 1;
        bool perTensor = q.Scales.Length == 1;
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int idx = (o * channels + c) * inner + i;
                    float s = perTensor ? q.Scales[0] : groups > 1 ? q.Scales[c * groups + i / (inner / groups)] : q.Scales[c];
                    result[idx] = q.Codes[idx] * s;
                }
            }
        }
        return result;
    }

    /// <summary>[in, out, kh, kw] → [(tap, out), in] with tap = a·kw + b.</summary>
    private static T[] TransposeConvT<T>(T[] weight, int[] shape)
    {
        int cin = shape[0], cout = shape[1], taps = shape[2] * shape[3];
        var result = new T[weight.Length];
        for (int c = 0; c < cin; c++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < taps; t++)
                    result[(t * cout + o) * cin + c] = weight[(c * cout + o) * taps + t];
        return result;
    }

    /// <summary>Per-channel values repeated for every tap block: [taps × channels].</summary>
    private static float[] Repeat(float[] perChannel, int taps)
    {
        var result = new float[perChannel.Length * taps];
        for (int t = 0; t < taps; t++) perChannel.CopyTo(result, t * perChannel.Length);
        return result;
    }
}
