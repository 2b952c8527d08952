using QSam2.Gpu.Kernels;

namespace QSam2.Gpu.Segmenters;

/// <summary>
/// The device twins of <c>Sam2Ops</c>' glue steps, with the same parameter names and meanings (byte offsets into the
/// arena, sizes as compile-time constants at the call site), so the generator prints the CPU image path's steps
/// unchanged against this class. Parameter <c>a</c> is the segmenter's <see cref="GpuSegmenterBackend"/>.
/// </summary>
public static partial class GpuSam2Ops
{
    public static void LayerNorm(GpuSegmenterBackend a, long input, long output, int rows, int channels, float[] weight, float[] bias, float eps) =>
        GpuLaunch.LayerNorm(a.Device, a.F(input, (long)rows * channels), a.F(output, (long)rows * channels), rows, channels, channels,
            a.Constant(weight), a.Constant(bias), eps);

    public static void Gelu(GpuSegmenterBackend a, long x, int count) => GpuLaunch.Gelu(a.Device, a.F(x, count), count);

    public static void Relu(GpuSegmenterBackend a, long x, int count) => GpuLaunch.Relu(a.Device, a.F(x, count), count);

    public static void Scale(GpuSegmenterBackend a, long x, int count, float factor) => GpuLaunch.Scale(a.Device, a.F(x, count), count, factor);

    public static void Add(GpuSegmenterBackend a, long x, long y, long output, int count) =>
        GpuLaunch.Add(a.Device, a.F(x, count), a.F(y, count), a.F(output, count), count);

    /// <summary>x += values.</summary>
    public static void AddParameter(GpuSegmenterBackend a, long x, float[] values, int count)
    {
        var v = a.F(x, count);
        GpuLaunch.Add(a.Device, v, Prefix(a, values, count), v, count);
    }

    /// <summary>output = x + values.</summary>
    public static void AddParameterTo(GpuSegmenterBackend a, long x, float[] values, long output, int count) =>
        GpuLaunch.Add(a.Device, a.F(x, count), Prefix(a, values, count), a.F(output, count), count);

    public static void AddRowVector(GpuSegmenterBackend a, long input, float[] vector, int rows, int channels, long output) =>
        GpuLaunch.AddRowVector(a.Device, a.F(input, (long)rows * channels), Prefix(a, vector, channels), a.F(output, (long)rows * channels), rows, channels);

    public static void BroadcastRow(GpuSegmenterBackend a, long output, float[] vector, int rows, int channels) =>
        GpuLaunch.BroadcastRow(a.Device, Prefix(a, vector, channels), a.F(output, (long)rows * channels), rows, channels);

    public static void Copy(GpuSegmenterBackend a, long source, long destination, int count) =>
        GpuLaunch.Copy(a.Device, a.F(source, count), a.F(destination, count), count);

    public static void WriteRows(GpuSegmenterBackend a, long output, float[] values, int count) =>
        GpuLaunch.Copy(a.Device, Prefix(a, values, count), a.F(output, count), count);

    public static void WindowPartition(GpuSegmenterBackend a, long input, int height, int width, int channels, int window, long output)
    {
        int hp = (height + window - 1) / window * window, wp = (width + window - 1) / window * window;
        GpuLaunch.WindowPartition(a.Device, a.F(input, (long)height * width * channels), a.F(output, (long)hp * wp * channels), height, width, channels, window);
    }

    public static void WindowUnpartitionAdd(GpuSegmenterBackend a, long input, int window, int height, int width, int channels, long residual, long output)
    {
        int hp = (height + window - 1) / window * window, wp = (width + window - 1) / window * window;
        long n = (long)height * width * channels;
        GpuLaunch.WindowUnpartitionAdd(a.Device, a.F(input, (long)hp * wp * channels), a.F(residual, n), a.F(output, n), height, width, channels, window);
    }

    public static void MaxPool2x2(GpuSegmenterBackend a, long input, int height, int width, int channels, long output) =>
        GpuLaunch.MaxPool2x2(a.Device, a.F(input, (long)height * width * channels), a.F(output, (long)(height / 2) * (width / 2) * channels), height, width, channels);

    public static void NearestUp2Add(GpuSegmenterBackend a, long coarse, int height, int width, int channels, long fine) =>
        GpuLaunch.NearestUp2Add(a.Device, a.F(coarse, (long)height * width * channels), a.F(fine, 4L * height * width * channels), height, width, channels);

    /// <summary>
    /// Hiera multi-scale attention (Sam2Ops.HieraAttention): every window and head in one launch, q max-pooling fused
    /// into the kernel. <paramref name="workers"/>, <paramref name="scratch"/> and <paramref name="scratchBytes"/> are the
    /// CPU path's thread slots; the device needs neither.
    /// </summary>
    public static void HieraAttention(GpuSegmenterBackend a, long qkv, int windows, int height, int width, int heads, int headDim, int qStride,
        long output, int workers = 1, long scratch = -1, long scratchBytes = 0)
    {
        int c = heads * headDim, l = height * width;
        int lq = height / qStride * (width / qStride);
        var block = a.F(qkv, (long)windows * l * 3 * c);
        GpuLaunch.Attention(a.Device, new AttentionArgs
        {
            Q = block,
            QStride = 3 * c,
            QBatchStride = (long)l * 3 * c,
            QPool = qStride,
            QWidth = width,
            K = block.SubView(c, block.Length - c),
            V = block.SubView(2 * c, block.Length - 2 * c),
            KVStride = 3 * c,
            KVBatchStride = (long)l * 3 * c,
            O = a.F(output, (long)windows * lq * c),
            OStride = c,
            OBatchStride = (long)lq * c,
            Batches = windows,
            Queries = lq,
            Keys = l,
            Heads = heads,
            HeadDim = headDim,
            Scale = 1f / MathF.Sqrt(headDim),
        });
    }

    /// <summary>SAM attention core (Sam2Ops.Attention): q [queries, heads·headDim], k and v [keys, heads·headDim].</summary>
    public static void Attention(GpuSegmenterBackend a, long q, int queries, long k, long v, int keys, int heads, int headDim, long output, long scratch)
    {
        int c = heads * headDim;
        GpuLaunch.Attention(a.Device, new AttentionArgs
        {
            Q = a.F(q, (long)queries * c),
            QStride = c,
            K = a.F(k, (long)keys * c),
            V = a.F(v, (long)keys * c),
            KVStride = c,
            O = a.F(output, (long)queries * c),
            OStride = c,
            Batches = 1,
            Queries = queries,
            Keys = keys,
            Heads = heads,
            HeadDim = headDim,
            Scale = 1f / MathF.Sqrt(headDim),
            QPool = 1,
        });
    }

    private static ILGPU.ArrayView<float> Prefix(GpuSegmenterBackend a, float[] values, int count)
    {
        if (values.Length < count) throw new ArgumentException($"{a.Description}: constant has {values.Length} values, the step reads {count}");
        return a.Constant(values).SubView(0, count);
    }
}
