using ILGPU;

namespace QSam2.Gpu.Kernels;

/// <summary>One-thread-per-element kernels for the glue steps between GEMMs (adds, scales, activations, quantization).</summary>
public static class ElementwiseKernels
{
    /// <summary>out = x + y.</summary>
    public static void Add(Index1D i, ArrayView<float> x, ArrayView<float> y, ArrayView<float> output) => output[i] = x[i] + y[i];

    /// <summary>out[r, c] = x[r, c] + v[c].</summary>
    public static void AddRowVector(Index1D i, ArrayView<float> x, ArrayView<float> vector, ArrayView<float> output, int channels) =>
        output[i] = x[i] + vector[i % channels];

    /// <summary>out[r, c] = v[c].</summary>
    public static void BroadcastRow(Index1D i, ArrayView<float> vector, ArrayView<float> output, int channels) =>
        output[i] = vector[i % channels];

    /// <summary>x *= factor.</summary>
    public static void Scale(Index1D i, ArrayView<float> x, float factor) => x[i] *= factor;

    /// <summary>x = max(x, 0).</summary>
    public static void Relu(Index1D i, ArrayView<float> x) => x[i] = MathF.Max(x[i], 0f);

    /// <summary>Exact-erf GELU in place.</summary>
    public static void Gelu(Index1D i, ArrayView<float> x) => x[i] = DeviceMath.Gelu(x[i]);

    /// <summary>out = x.</summary>
    public static void Copy(Index1D i, ArrayView<float> x, ArrayView<float> output) => output[i] = x[i];

    /// <summary>Activation codes of x (ActivationQuantKernels.Quantize).</summary>
    public static void Quantize(Index1D i, ArrayView<float> x, ArrayView<byte> codes, float scale, int zeroPoint, int qmax) =>
        codes[i] = (byte)DeviceMath.Quantize(x[i], scale, zeroPoint, qmax);

    /// <summary>e^x (tests compare it with ExpF32.Scalar).</summary>
    public static void Exp(Index1D i, ArrayView<float> x, ArrayView<float> output) => output[i] = DeviceMath.Exp(x[i]);
}
