using System.Numerics;
using System.Runtime.InteropServices;

namespace QSam2.Runtime.Segmenters;

/// <summary>Element-wise float loops on <see cref="Vector{T}"/> for the glue steps between kernels.</summary>
internal static class VectorOps
{
    /// <summary>dst = x + y (dst may alias x or y).</summary>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dst)
    {
        int n = dst.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x.Slice(0, n));
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y.Slice(0, n));
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            for (int v = 0; v < vd.Length; v++) vd[v] = vx[v] + vy[v];
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < n; i++) dst[i] = x[i] + y[i];
    }

    /// <summary>x *= factor.</summary>
    public static void Scale(Span<float> x, float factor)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            for (int v = 0; v < vx.Length; v++) vx[v] *= factor;
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) x[i] *= factor;
    }

    /// <summary>x = max(x, 0).</summary>
    public static void Relu(Span<float> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            for (int v = 0; v < vx.Length; v++) vx[v] = Vector.Max(vx[v], Vector<float>.Zero);
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) x[i] = MathF.Max(x[i], 0f);
    }

    /// <summary>dst = max(dst, x).</summary>
    public static void Max(ReadOnlySpan<float> x, Span<float> dst)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x.Slice(0, dst.Length));
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            for (int v = 0; v < vd.Length; v++) vd[v] = Vector.Max(vd[v], vx[v]);
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] = MathF.Max(dst[i], x[i]);
    }
}
