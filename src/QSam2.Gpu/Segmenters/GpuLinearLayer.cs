using ILGPU;
using ILGPU.Runtime;
using QSam2.Gpu.Device;
using QSam2.Gpu.Kernels;
using QSam2.Runtime.Kernels.Quant;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Segmenters;

/// <summary>
/// One weight layer resident on the device, the GPU twin of <c>LinearLayer</c>: a GEMM <c>y[M, N] = x[M, K]·Wᵀ + b</c>
/// with float weights <c>[N, K]</c>, or canonical codes repacked by <see cref="GpuWeightPacker"/> (low-bit words, code
/// sums, scales) plus the layer's static input quantization. Conv weights are <c>[Cout, Cin·kh·kw]</c> as loaded.
/// </summary>
public sealed class GpuLinearLayer : IDisposable
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _bias;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>? _floatWeights;
    private readonly MemoryBuffer1D<int, Stride1D.Dense>? _words;
    private readonly MemoryBuffer1D<int, Stride1D.Dense>? _sums;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>? _scales;

    private GpuLinearLayer(string name, int n, int k, bool hasBias, MemoryBuffer1D<float, Stride1D.Dense> bias,
        MemoryBuffer1D<float, Stride1D.Dense>? floatWeights, GpuWeightPacker? packed, GpuDevice device, ActivationQuantParams inputQuant)
    {
        Name = name;
        N = n;
        K = k;
        HasBias = hasBias;
        _bias = bias;
        _floatWeights = floatWeights;
        InputQuant = inputQuant;
        if (packed != null)
        {
            WeightBits = packed.Bits;
            GroupSize = packed.GroupSize;
            _words = device.Upload(packed.Words);
            _sums = device.Upload(packed.Sums);
            _scales = device.Upload(packed.Scales);
        }
        else
        {
            WeightBits = 32;
            GroupSize = k;
        }
    }

    public string Name { get; }
    public int N { get; }
    public int K { get; }
    public bool HasBias { get; }
    public bool Quantized => _words != null;

    /// <summary>2, 3, 4 or 8 for quantized layers, 32 for float ones.</summary>
    public int WeightBits { get; }

    /// <summary>K per channel, G per group.</summary>
    public int GroupSize { get; }

    /// <summary>Static quantization of this layer's input (quantized layers).</summary>
    public ActivationQuantParams InputQuant { get; }

    internal ArrayView<float> Bias => _bias.View;
    internal ArrayView<float> FloatWeights => (_floatWeights ?? throw new InvalidOperationException($"{Name} is quantized")).View;
    internal ArrayView<int> Words => (_words ?? throw new InvalidOperationException($"{Name} is a float layer")).View;
    internal ArrayView<int> Sums => _sums!.View;
    internal ArrayView<float> Scales => _scales!.View;

    /// <summary>A float layer from row-major <c>[N, K]</c> weights and an optional bias <c>[N]</c>.</summary>
    public static GpuLinearLayer FromFloat(GpuDevice device, string name, float[] weights, float[]? bias, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(weights);
        if (n <= 0 || k <= 0) throw new ArgumentException($"{name}: weight shape [{n}, {k}] must be positive");
        if (weights.Length != n * k) throw new ArgumentException($"{name}: {weights.Length} weights, expected {n}×{k} = {n * k}");
        CheckBias(name, bias, n);
        return new GpuLinearLayer(name, n, k, bias != null, device.Upload(bias ?? Array.Empty<float>()), device.Upload(weights), null, device, default);
    }

    /// <summary>A quantized layer from canonical weights, an optional bias and its input quantization.</summary>
    public static GpuLinearLayer FromQuantized(GpuDevice device, string name, QuantizedWeights weights, float[]? bias, ActivationQuantParams inputQuant)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(weights);
        CheckBias(name, bias, weights.N);
        inputQuant.Validate(name + " input");
        var packed = GpuWeightPacker.Pack(weights, name);
        return new GpuLinearLayer(name, weights.N, weights.K, bias != null, device.Upload(bias ?? Array.Empty<float>()), null, packed, device, inputQuant);
    }

    /// <summary>
    /// Loads <c>{layer}.weight</c> (and <c>.bias</c>) with the official <paramref name="shape"/> from the same source the
    /// CPU path loads, with the same checks (<see cref="QuantizedWeights.Create"/> names the file, layer and position).
    /// Transposed convolutions run on the CPU path only.
    /// </summary>
    public static GpuLinearLayer Load(GpuDevice device, WeightSource w, string layer, WeightLayout layout, int[] shape, bool hasBias,
        bool quantized, int weightBits, int groupSize, int activationBits)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(shape);
        if (layout == WeightLayout.ConvTranspose)
            throw new NotSupportedException($"{layer}: transposed convolutions are not part of the GPU image path");
        int n = shape[0], k = 1;
        for (int i = 1; i < shape.Length; i++) k *= shape[i];
        var bias = hasBias ? w.Float(layer + ".bias", new[] { n }) : null;
        if (!quantized) return FromFloat(device, layer, w.Float(layer + ".weight", shape), bias, n, k);

        if (!w.IsQuantized(layer))
            throw new InvalidDataException($"{w.Source}: layer '{layer}' is stored in float, but this segmenter was compiled with it quantized (W{weightBits}A{activationBits}); export a .qsw for this structure");
        var q = w.Quantized(layer, shape);
        var canonical = QuantizedWeights.Create(q.Codes, q.Scales, n, k, weightBits, groupSize, $"{w.Source}: {layer}");
        return FromQuantized(device, layer, canonical, bias, w.Activation(layer, activationBits));
    }

    public void Dispose()
    {
        _bias.Dispose();
        _floatWeights?.Dispose();
        _words?.Dispose();
        _sums?.Dispose();
        _scales?.Dispose();
    }

    private static void CheckBias(string name, float[]? bias, int n)
    {
        if (bias != null && bias.Length != n) throw new ArgumentException($"{name}: bias has {bias.Length} values, expected {n}");
    }
}
