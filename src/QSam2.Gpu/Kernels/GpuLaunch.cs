using ILGPU;
using QSam2.Gpu.Device;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Host entry points of the device kernels: load (cached per device) and launch on the device's stream with the right
/// geometry. Views are ILGPU array views; sizes are checked here so a bad call fails on the host with a clear message
/// instead of faulting on the device.
/// </summary>
public static class GpuLaunch
{
    /// <summary>Integer GEMM for one layer shape; <c>args.Input.Rows</c> rows.</summary>
    public static void QuantGemm<TCodec, TShape>(GpuDevice device, QuantGemmArgs args)
        where TCodec : struct, IWeightCodec
        where TShape : struct, IGemmShape
    {
        ArgumentNullException.ThrowIfNull(device);
        var shape = default(TShape);
        CheckShape(nameof(QuantGemm), shape);
        if (shape.K % shape.GroupSize != 0 || (shape.GroupSize != shape.K && shape.GroupSize % GpuWeightLayout.BlockCodes != 0))
            throw new ArgumentException($"{nameof(QuantGemm)}: group size {shape.GroupSize} must divide K = {shape.K} and be a multiple of {GpuWeightLayout.BlockCodes}");
        if (args.Input.Rows <= 0) return;
        var kernel = device.Grouped<QuantGemmArgs>(QuantGemmKernel.Run<TCodec, TShape>);
        kernel(GemmTiling.Config(device.MaxThreadsPerGroup, args.Input.Rows, shape.N), args);
    }

    /// <summary>Float GEMM for one layer shape.</summary>
    public static void FloatGemm<TShape>(GpuDevice device, FloatGemmArgs args)
        where TShape : struct, IGemmShape
    {
        ArgumentNullException.ThrowIfNull(device);
        CheckShape(nameof(FloatGemm), default(TShape));
        if (args.Input.Rows <= 0) return;
        var kernel = device.Grouped<FloatGemmArgs>(FloatGemmKernel.Run<TShape>);
        kernel(GemmTiling.Config(device.MaxThreadsPerGroup, args.Input.Rows, default(TShape).N), args);
    }

    public static void LayerNorm(GpuDevice device, ArrayView<float> x, ArrayView<float> y, int rows, int dim, int ld,
        ArrayView<float> gamma, ArrayView<float> beta, float eps)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (dim <= 0 || ld < dim) throw new ArgumentException($"{nameof(LayerNorm)}: dim {dim} must be > 0 and ≤ the row stride {ld}");
        if (rows <= 0) return;
        device.Auto<ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, float>(NormKernels.LayerNorm)(rows, x, y, dim, ld, gamma, beta, eps);
    }

    public static void SoftmaxRows(GpuDevice device, ArrayView<float> x, ArrayView<float> y, int rows, int cols, int ld, float scale)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (cols <= 0 || ld < cols) throw new ArgumentException($"{nameof(SoftmaxRows)}: cols {cols} must be > 0 and ≤ the row stride {ld}");
        if (rows <= 0) return;
        device.Auto<ArrayView<float>, ArrayView<float>, int, int, float>(NormKernels.SoftmaxRows)(rows, x, y, cols, ld, scale);
    }

    public static void Attention(GpuDevice device, AttentionArgs args)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (args.HeadDim <= 0 || args.HeadDim > AttentionKernel.MaxHeadDim)
            throw new ArgumentException($"{nameof(Attention)}: head dim {args.HeadDim} outside 1..{AttentionKernel.MaxHeadDim}");
        if (args.Keys <= 0 || args.Heads <= 0) throw new ArgumentException($"{nameof(Attention)}: keys {args.Keys} and heads {args.Heads} must be > 0");
        if (args.QPool > 1 && (args.QWidth <= 0 || args.QWidth % args.QPool != 0))
            throw new ArgumentException($"{nameof(Attention)}: q-pool {args.QPool} needs a query map width divisible by it, got {args.QWidth}");
        long threads = (long)args.Batches * args.Heads * args.Queries;
        if (threads <= 0) return;
        if (threads > int.MaxValue) throw new ArgumentException($"{nameof(Attention)}: {threads} query rows exceed one launch");
        device.Auto<AttentionArgs>(AttentionKernel.Run)((int)threads, args);
    }

    /// <summary>out = x + y over <paramref name="count"/> floats.</summary>
    public static void Add(GpuDevice device, ArrayView<float> x, ArrayView<float> y, ArrayView<float> output, int count)
    {
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Add)(count, x, y, output);
    }

    public static void AddRowVector(GpuDevice device, ArrayView<float> x, ArrayView<float> vector, ArrayView<float> output, int rows, int channels)
    {
        if (rows * channels > 0) device.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(ElementwiseKernels.AddRowVector)(rows * channels, x, vector, output, channels);
    }

    public static void BroadcastRow(GpuDevice device, ArrayView<float> vector, ArrayView<float> output, int rows, int channels)
    {
        if (rows * channels > 0) device.Auto<ArrayView<float>, ArrayView<float>, int>(ElementwiseKernels.BroadcastRow)(rows * channels, vector, output, channels);
    }

    public static void Scale(GpuDevice device, ArrayView<float> x, int count, float factor)
    {
        if (count > 0) device.Auto<ArrayView<float>, float>(ElementwiseKernels.Scale)(count, x, factor);
    }

    public static void Relu(GpuDevice device, ArrayView<float> x, int count)
    {
        if (count > 0) device.Auto<ArrayView<float>>(ElementwiseKernels.Relu)(count, x);
    }

    public static void Gelu(GpuDevice device, ArrayView<float> x, int count)
    {
        if (count > 0) device.Auto<ArrayView<float>>(ElementwiseKernels.Gelu)(count, x);
    }

    public static void Copy(GpuDevice device, ArrayView<float> x, ArrayView<float> output, int count)
    {
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Copy)(count, x, output);
    }

    public static void Quantize(GpuDevice device, ArrayView<float> x, ArrayView<byte> codes, int count, float scale, int zeroPoint, int qmax)
    {
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<byte>, float, int, int>(ElementwiseKernels.Quantize)(count, x, codes, scale, zeroPoint, qmax);
    }

    public static void Exp(GpuDevice device, ArrayView<float> x, ArrayView<float> output, int count)
    {
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Exp)(count, x, output);
    }

    public static void WindowPartition(GpuDevice device, ArrayView<float> input, ArrayView<float> output, int height, int width, int channels, int window)
    {
        int hp = (height + window - 1) / window * window, wp = (width + window - 1) / window * window;
        int count = hp * wp * channels;
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>, int, int, int, int>(HieraKernels.WindowPartition)(count, input, output, height, width, channels, window);
    }

    public static void WindowUnpartitionAdd(GpuDevice device, ArrayView<float> input, ArrayView<float> residual, ArrayView<float> output,
        int height, int width, int channels, int window)
    {
        int count = height * width * channels;
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(HieraKernels.WindowUnpartitionAdd)(count, input, residual, output, width, channels, window);
    }

    public static void MaxPool2x2(GpuDevice device, ArrayView<float> input, ArrayView<float> output, int height, int width, int channels)
    {
        int count = height / 2 * (width / 2) * channels;
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>, int, int>(HieraKernels.MaxPool2x2)(count, input, output, width, channels);
    }

    public static void NearestUp2Add(GpuDevice device, ArrayView<float> coarse, ArrayView<float> fine, int height, int width, int channels)
    {
        int count = 4 * height * width * channels;
        if (count > 0) device.Auto<ArrayView<float>, ArrayView<float>, int, int>(HieraKernels.NearestUp2Add)(count, coarse, fine, width, channels);
    }

    private static void CheckShape<TShape>(string kernel, TShape s)
        where TShape : struct, IGemmShape
    {
        if (s.K <= 0 || s.N <= 0 || s.GroupSize <= 0)
            throw new ArgumentException($"{kernel}: shape {typeof(TShape).Name} has K = {s.K}, N = {s.N}, group {s.GroupSize}; all must be > 0");
        if (s.Input is GemmInput.Im2ColPlanar or GemmInput.Im2ColChannelsLast && s.K != s.ConvChannels * s.ConvKernel * s.ConvKernel)
            throw new ArgumentException($"{kernel}: shape {typeof(TShape).Name} has K = {s.K} but its conv gathers {s.ConvChannels}·{s.ConvKernel}·{s.ConvKernel}");
    }
}
