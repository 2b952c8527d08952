using ILGPU;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Hiera's data movement (sam2-architecture.md §4.3) on channels-last maps, one thread per output element, with the
/// same index rules as <c>Sam2Ops</c>: window partition (zero padding), un-partition + shortcut, 2×2 max pooling
/// (shortcut; query pooling is fused into the attention kernel) and the FPN's nearest ×2 top-down add.
/// </summary>
public static class HieraKernels
{
    /// <summary>[H, W, C] → windows of window² tokens (row-major windows, row-major tokens), zero padded.</summary>
    public static void WindowPartition(Index1D i, ArrayView<float> input, ArrayView<float> output, int height, int width, int channels, int window)
    {
        int ch = i % channels;
        int token = i / channels;
        int perWindow = window * window;
        int win = token / perWindow, t = token - win * perWindow;
        int gridW = (width + window - 1) / window;
        int wy = win / gridW, wx = win - wy * gridW;
        int y = wy * window + t / window, x = wx * window + t % window;
        output[i] = y < height && x < width ? input[((long)y * width + x) * channels + ch] : 0f;
    }

    /// <summary>output[H, W, C] = windows (padding dropped) + residual.</summary>
    public static void WindowUnpartitionAdd(Index1D i, ArrayView<float> input, ArrayView<float> residual, ArrayView<float> output,
        int width, int channels, int window)
    {
        int ch = i % channels;
        int pixel = i / channels;
        int y = pixel / width, x = pixel - y * width;
        int gridW = (width + window - 1) / window;
        int win = (y / window) * gridW + x / window;
        int t = (y % window) * window + x % window;
        output[i] = input[((long)win * window * window + t) * channels + ch] + residual[i];
    }

    /// <summary>2×2 stride-2 max pool (floor) of [H, W, C].</summary>
    public static void MaxPool2x2(Index1D i, ArrayView<float> input, ArrayView<float> output, int width, int channels)
    {
        int ch = i % channels;
        int pixel = i / channels;
        int ow = width / 2;
        int y = pixel / ow, x = pixel - y * ow;
        long p = ((long)(2 * y) * width + 2 * x) * channels + ch;
        long rowBelow = (long)width * channels;
        output[i] = MathF.Max(MathF.Max(input[p], input[p + channels]), MathF.Max(input[p + rowBelow], input[p + rowBelow + channels]));
    }

    /// <summary>fine[y, x] += coarse[y / 2, x / 2] on the 2H×2W fine map.</summary>
    public static void NearestUp2Add(Index1D i, ArrayView<float> coarse, ArrayView<float> fine, int width, int channels)
    {
        int ch = i % channels;
        int pixel = i / channels;
        int fw = 2 * width;
        int y = pixel / fw, x = pixel - y * fw;
        fine[i] += coarse[((long)(y / 2) * width + x / 2) * channels + ch];
    }
}
