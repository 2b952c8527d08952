using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Hiera window partitioning on channels-last maps. The map is zero-padded at the bottom/right to a multiple of the
/// window (after LayerNorm, so padded tokens are exact zeros and their keys/values equal the qkv bias — SAM2 applies
/// no attention mask), and windows are ordered batch-major, then row-major over the window grid.
/// </summary>
public static class WindowPartition
{
    /// <summary>Padded size of a side for a window: <c>ceil(n / ws) * ws</c>.</summary>
    public static long PaddedSize(long n, long windowSize) => n + (windowSize - n % windowSize) % windowSize;

    /// <summary><c>[B,H,W,C]</c> → <c>[B·nWin, ws, ws, C]</c>; returns the padded height and width.</summary>
    public static Tensor Partition(Tensor x, long windowSize, out long paddedH, out long paddedW)
    {
        if (x.dim() != 4) throw new ArgumentException($"window partition expects [B,H,W,C], got [{string.Join(",", x.shape)}]", nameof(x));
        if (windowSize <= 0) throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "window size must be positive");
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[1], w = x.shape[2], c = x.shape[3];
        paddedH = PaddedSize(h, windowSize);
        paddedW = PaddedSize(w, windowSize);
        var padded = paddedH > h || paddedW > w
            ? nn.functional.pad(x, new long[] { 0, 0, 0, paddedW - w, 0, paddedH - h })
            : x;
        var windows = padded
            .view(b, paddedH / windowSize, windowSize, paddedW / windowSize, windowSize, c)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(-1, windowSize, windowSize, c);
        return windows.MoveToOuterDisposeScope();
    }

    /// <summary>Inverse of <see cref="Partition"/>: <c>[B·nWin, ws, ws, C]</c> → <c>[B,H,W,C]</c>, cropping the padding.</summary>
    public static Tensor Unpartition(Tensor windows, long windowSize, long paddedH, long paddedW, long h, long w)
    {
        using var scope = NewDisposeScope();
        var perImage = paddedH * paddedW / windowSize / windowSize;
        if (windows.shape[0] % perImage != 0)
            throw new ArgumentException($"{windows.shape[0]} windows is not a multiple of {perImage} windows per image", nameof(windows));
        var b = windows.shape[0] / perImage;
        var x = windows
            .reshape(b, paddedH / windowSize, paddedW / windowSize, windowSize, windowSize, -1)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(b, paddedH, paddedW, -1);
        if (paddedH > h || paddedW > w)
            x = x[.., ..(int)h, ..(int)w, ..];
        return x.MoveToOuterDisposeScope();
    }
}
