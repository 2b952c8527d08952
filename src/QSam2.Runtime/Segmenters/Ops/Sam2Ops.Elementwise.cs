using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Segmenters;

// Element-wise and copy steps between kernels (norms, activations, adds, token writes).
public static partial class Sam2Ops
{
    /// <summary>LayerNorm (or channels-last LayerNorm2d) over <paramref name="channels"/> per row; input and output may alias.</summary>
    public static void LayerNorm(SegmenterArena a, long input, long output, int rows, int channels, float[] weight, float[] bias, float eps) =>
        LayerNormKernels.LayerNorm(a.F(input, rows * channels), a.F(output, rows * channels), rows, channels, channels, weight, bias, eps);

    /// <summary>Exact-erf GELU in place.</summary>
    public static void Gelu(SegmenterArena a, long x, int count)
    {
        var s = a.F(x, count);
        GeluKernels.Gelu(s, s);
    }

    public static void Relu(SegmenterArena a, long x, int count) => VectorOps.Relu(a.F(x, count));

    /// <summary>Logistic sigmoid in place (IoU head).</summary>
    public static void Sigmoid(SegmenterArena a, long x, int count)
    {
        var s = a.F(x, count);
        for (int i = 0; i < s.Length; i++) s[i] = 1f / (1f + MathF.Exp(-s[i]));
    }

    public static void Scale(SegmenterArena a, long x, int count, float factor) => VectorOps.Scale(a.F(x, count), factor);

    /// <summary>output = x + y.</summary>
    public static void Add(SegmenterArena a, long x, long y, long output, int count) =>
        VectorOps.Add(a.F(x, count), a.F(y, count), a.F(output, count));

    /// <summary>x += values (a load-time constant such as the positional embedding).</summary>
    public static void AddParameter(SegmenterArena a, long x, float[] values, int count)
    {
        var s = a.F(x, count);
        VectorOps.Add(s, values.AsSpan(0, count), s);
    }

    /// <summary>output = x + values.</summary>
    public static void AddParameterTo(SegmenterArena a, long x, float[] values, long output, int count) =>
        VectorOps.Add(a.F(x, count), values.AsSpan(0, count), a.F(output, count));

    /// <summary>output[r, :] = input[r, :] + vector (e.g. <c>no_mem_embed</c>).</summary>
    public static void AddRowVector(SegmenterArena a, long input, float[] vector, int rows, int channels, long output)
    {
        var src = a.F(input, rows * channels);
        var dst = a.F(output, rows * channels);
        var v = vector.AsSpan(0, channels);
        for (int r = 0; r < rows; r++) VectorOps.Add(src.Slice(r * channels, channels), v, dst.Slice(r * channels, channels));
    }

    /// <summary>output[r, :] = vector for every row (e.g. <c>no_mask_embed</c>).</summary>
    public static void BroadcastRow(SegmenterArena a, long output, float[] vector, int rows, int channels)
    {
        var dst = a.F(output, rows * channels);
        var v = vector.AsSpan(0, channels);
        for (int r = 0; r < rows; r++) v.CopyTo(dst.Slice(r * channels, channels));
    }

    public static void Copy(SegmenterArena a, long source, long destination, int count) =>
        a.F(source, count).CopyTo(a.F(destination, count));

    /// <summary>Writes <paramref name="count"/> floats of a constant (token embeddings) into the arena.</summary>
    public static void WriteRows(SegmenterArena a, long output, float[] values, int count) =>
        values.AsSpan(0, count).CopyTo(a.F(output, count));
}
