using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels.Resize;

/// <summary>
/// Nearest-neighbour ×2 upsampling (the FPN top-down path): <c>out[y, x] = in[⌊y/2⌋, ⌊x/2⌋]</c> on channels-last
/// data <c>[H, W, C] → [2H, 2W, C]</c>; planar data is C = 1 per plane. Pure copies, so all versions are exact.
/// </summary>
public static class NearestUpsample2x
{
    /// <summary>Dispatching entry point.</summary>
    public static void Upsample(ReadOnlySpan<float> x, int h, int w, int c, Span<float> y)
    {
        if (KernelIsa.UseAvx2Fma) Upsample_Avx2(x, h, w, c, y);
        else Upsample_Portable(x, h, w, c, y);
    }

    /// <summary>Per-element definition.</summary>
    public static void Upsample_Reference(ReadOnlySpan<float> x, int h, int w, int c, Span<float> y)
    {
        Check(nameof(Upsample_Reference), x, h, w, c, y);
        for (int oy = 0; oy < 2 * h; oy++)
            for (int ox = 0; ox < 2 * w; ox++)
                for (int ch = 0; ch < c; ch++) y[(oy * 2 * w + ox) * c + ch] = x[((oy / 2) * w + ox / 2) * c + ch];
    }

    /// <summary>Row-copy version: each output row is built once and copied to the row below.</summary>
    public static void Upsample_Portable(ReadOnlySpan<float> x, int h, int w, int c, Span<float> y)
    {
        Check(nameof(Upsample_Portable), x, h, w, c, y);
        int outRow = 2 * w * c;
        for (int iy = 0; iy < h; iy++)
        {
            var dst = y.Slice(2 * iy * outRow, outRow);
            for (int ix = 0; ix < w; ix++)
            {
                var px = x.Slice((iy * w + ix) * c, c);
                px.CopyTo(dst.Slice(2 * ix * c, c));
                px.CopyTo(dst.Slice((2 * ix + 1) * c, c));
            }
            dst.CopyTo(y.Slice((2 * iy + 1) * outRow, outRow));
        }
    }

    /// <summary>AVX2 version: for C = 1 (planar) 8 inputs become 16 outputs by an in-register duplication.</summary>
    public static void Upsample_Avx2(ReadOnlySpan<float> x, int h, int w, int c, Span<float> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException($"{nameof(Upsample_Avx2)} needs AVX2");
        if (c != 1)
        {
            Upsample_Portable(x, h, w, c, y); // channel runs are memcpy-bound; the vectorised copy is already optimal
            return;
        }
        Check(nameof(Upsample_Avx2), x, h, w, c, y);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        var lo = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        var hi = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
        int outW = 2 * w;
        for (int iy = 0; iy < h; iy++)
        {
            nuint src = (nuint)(iy * w), dst = (nuint)(2 * iy * outW);
            int ix = 0;
            for (; ix + 8 <= w; ix += 8)
            {
                var v = Vector256.LoadUnsafe(ref xs, src + (nuint)ix);
                Avx2.PermuteVar8x32(v, lo).StoreUnsafe(ref ys, dst + (nuint)(2 * ix));
                Avx2.PermuteVar8x32(v, hi).StoreUnsafe(ref ys, dst + (nuint)(2 * ix + 8));
            }
            for (; ix < w; ix++)
            {
                float v = x[iy * w + ix];
                y[2 * iy * outW + 2 * ix] = v;
                y[2 * iy * outW + 2 * ix + 1] = v;
            }
            y.Slice(2 * iy * outW, outW).CopyTo(y.Slice((2 * iy + 1) * outW, outW));
        }
    }

    private static void Check(string name, ReadOnlySpan<float> x, int h, int w, int c, Span<float> y)
    {
        KernelArgs.Positive(name, nameof(h), h);
        KernelArgs.Positive(name, nameof(w), w);
        KernelArgs.Positive(name, nameof(c), c);
        KernelArgs.Length(name, "x", x.Length, (long)h * w * c);
        KernelArgs.Length(name, "y", y.Length, 4L * h * w * c);
    }
}
