using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Resize;

/// <summary>
/// Bilinear resize of planar data <c>[C, inH, inW] → [C, outH, outW]</c> with PyTorch's
/// <c>F.interpolate(mode="bilinear", align_corners=False, antialias=False)</c> semantics (SAM2's mask
/// post-processing): per axis <c>s = (in/out)·(d + 0.5) − 0.5</c> clamped at 0, <c>i0 = ⌊s⌋</c>,
/// <c>i1 = min(i0 + 1, in − 1)</c>, <c>λ1 = s − i0</c>, <c>λ0 = 1 − λ1</c> (float32), and
/// <c>out = λ0y·(λ0x·x00 + λ1x·x01) + λ1y·(λ0x·x10 + λ1x·x11)</c>. No antialiasing even when shrinking.
/// All versions evaluate the same float operations and are bit-identical. Scratch: <see cref="ScratchBytes"/>.
/// </summary>
public static class BilinearResize
{
    /// <summary>Scratch bytes (the per-column index and weight tables).</summary>
    public static int ScratchBytes(int outW) => outW * 12;

    /// <summary>Source index and weights for destination index <paramref name="d"/> along one axis.</summary>
    internal static (int I0, int I1, float L0, float L1) Axis(int d, int inSize, int outSize)
    {
        float scale = (float)inSize / outSize;
        float s = scale * (d + 0.5f) - 0.5f;
        if (s < 0f) s = 0f;
        int i0 = (int)s;
        if (i0 > inSize - 1) i0 = inSize - 1;
        int i1 = i0 < inSize - 1 ? i0 + 1 : i0;
        float l1 = s - i0;
        l1 = l1 < 0f ? 0f : l1 > 1f ? 1f : l1;
        return (i0, i1, 1f - l1, l1);
    }

    /// <summary>Dispatching entry point.</summary>
    public static void Resize(ReadOnlySpan<float> x, int channels, int inH, int inW, Span<float> y, int outH, int outW, Span<byte> scratch)
    {
        if (KernelIsa.UseAvx2Fma) Resize_Avx2(x, channels, inH, inW, y, outH, outW, scratch);
        else Resize_Portable(x, channels, inH, inW, y, outH, outW, scratch);
    }

    /// <summary>Per-pixel definition.</summary>
    public static void Resize_Reference(ReadOnlySpan<float> x, int channels, int inH, int inW, Span<float> y, int outH, int outW)
    {
        Check(nameof(Resize_Reference), x, channels, inH, inW, y, outH, outW);
        for (int c = 0; c < channels; c++)
        {
            var src = x.Slice(c * inH * inW, inH * inW);
            for (int oy = 0; oy < outH; oy++)
            {
                var (y0, y1, ly0, ly1) = Axis(oy, inH, outH);
                for (int ox = 0; ox < outW; ox++)
                {
                    var (x0, x1, lx0, lx1) = Axis(ox, inW, outW);
                    float top = lx0 * src[y0 * inW + x0] + lx1 * src[y0 * inW + x1];
                    float bottom = lx0 * src[y1 * inW + x0] + lx1 * src[y1 * inW + x1];
                    y[(c * outH + oy) * outW + ox] = ly0 * top + ly1 * bottom;
                }
            }
        }
    }

    /// <summary>Table-driven scalar version.</summary>
    public static void Resize_Portable(ReadOnlySpan<float> x, int channels, int inH, int inW, Span<float> y, int outH, int outW, Span<byte> scratch)
    {
        Check(nameof(Resize_Portable), x, channels, inH, inW, y, outH, outW);
        Tables(scratch, inW, outW, nameof(Resize_Portable));
        var x0s = X0(scratch, outW);
        var x1s = X1(scratch, outW);
        var lx1s = L1(scratch, outW);
        for (int c = 0; c < channels; c++)
        {
            var src = x.Slice(c * inH * inW, inH * inW);
            for (int oy = 0; oy < outH; oy++)
            {
                var (y0, y1, ly0, ly1) = Axis(oy, inH, outH);
                var r0 = src.Slice(y0 * inW, inW);
                var r1 = src.Slice(y1 * inW, inW);
                var dst = y.Slice((c * outH + oy) * outW, outW);
                for (int ox = 0; ox < outW; ox++)
                {
                    float lx1 = lx1s[ox], lx0 = 1f - lx1;
                    float top = lx0 * r0[x0s[ox]] + lx1 * r0[x1s[ox]];
                    float bottom = lx0 * r1[x0s[ox]] + lx1 * r1[x1s[ox]];
                    dst[ox] = ly0 * top + ly1 * bottom;
                }
            }
        }
    }

    /// <summary>AVX2 version: 8 output pixels per step with gathers from the two source rows.</summary>
    public static unsafe void Resize_Avx2(ReadOnlySpan<float> x, int channels, int inH, int inW, Span<float> y, int outH, int outW, Span<byte> scratch)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException($"{nameof(Resize_Avx2)} needs AVX2");
        Check(nameof(Resize_Avx2), x, channels, inH, inW, y, outH, outW);
        Tables(scratch, inW, outW, nameof(Resize_Avx2));
        var x0s = X0(scratch, outW);
        var x1s = X1(scratch, outW);
        var lx1s = L1(scratch, outW);
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (int* ix0 = x0s)
        fixed (int* ix1 = x1s)
        fixed (float* pl = lx1s)
        {
            var one = Vector256.Create(1f);
            for (int c = 0; c < channels; c++)
            {
                float* src = px + (long)c * inH * inW;
                for (int oy = 0; oy < outH; oy++)
                {
                    var (y0, y1, ly0, ly1) = Axis(oy, inH, outH);
                    float* r0 = src + (long)y0 * inW, r1 = src + (long)y1 * inW;
                    float* dst = py + ((long)c * outH + oy) * outW;
                    var vly0 = Vector256.Create(ly0);
                    var vly1 = Vector256.Create(ly1);
                    int ox = 0;
                    for (; ox + 8 <= outW; ox += 8)
                    {
                        var i0 = Avx.LoadVector256(ix0 + ox);
                        var i1 = Avx.LoadVector256(ix1 + ox);
                        var lx1 = Avx.LoadVector256(pl + ox);
                        var lx0 = Avx.Subtract(one, lx1);
                        var top = Avx.Add(Avx.Multiply(lx0, Avx2.GatherVector256(r0, i0, 4)), Avx.Multiply(lx1, Avx2.GatherVector256(r0, i1, 4)));
                        var bottom = Avx.Add(Avx.Multiply(lx0, Avx2.GatherVector256(r1, i0, 4)), Avx.Multiply(lx1, Avx2.GatherVector256(r1, i1, 4)));
                        Avx.Store(dst + ox, Avx.Add(Avx.Multiply(vly0, top), Avx.Multiply(vly1, bottom)));
                    }
                    for (; ox < outW; ox++)
                    {
                        float lx1 = pl[ox], lx0 = 1f - lx1;
                        float top = lx0 * r0[ix0[ox]] + lx1 * r0[ix1[ox]];
                        float bottom = lx0 * r1[ix0[ox]] + lx1 * r1[ix1[ox]];
                        dst[ox] = ly0 * top + ly1 * bottom;
                    }
                }
            }
        }
    }

    private static Span<int> X0(Span<byte> scratch, int outW) => MemoryMarshal.Cast<byte, int>(scratch.Slice(0, outW * 4));

    private static Span<int> X1(Span<byte> scratch, int outW) => MemoryMarshal.Cast<byte, int>(scratch.Slice(outW * 4, outW * 4));

    private static Span<float> L1(Span<byte> scratch, int outW) => MemoryMarshal.Cast<byte, float>(scratch.Slice(outW * 8, outW * 4));

    /// <summary>Fills the per-column tables: i0, i1 and λ1 of every output column.</summary>
    private static void Tables(Span<byte> scratch, int inW, int outW, string name)
    {
        KernelArgs.Scratch(name, scratch.Length, ScratchBytes(outW));
        var x0 = X0(scratch, outW);
        var x1 = X1(scratch, outW);
        var l1 = L1(scratch, outW);
        for (int ox = 0; ox < outW; ox++)
        {
            var (i0, i1, _, w1) = Axis(ox, inW, outW);
            x0[ox] = i0;
            x1[ox] = i1;
            l1[ox] = w1;
        }
    }

    private static void Check(string name, ReadOnlySpan<float> x, int channels, int inH, int inW, Span<float> y, int outH, int outW)
    {
        KernelArgs.Positive(name, nameof(channels), channels);
        KernelArgs.Positive(name, nameof(inH), inH);
        KernelArgs.Positive(name, nameof(inW), inW);
        KernelArgs.Positive(name, nameof(outH), outH);
        KernelArgs.Positive(name, nameof(outW), outW);
        KernelArgs.Length(name, "x", x.Length, (long)channels * inH * inW);
        KernelArgs.Length(name, "y", y.Length, (long)channels * outH * outW);
    }
}
