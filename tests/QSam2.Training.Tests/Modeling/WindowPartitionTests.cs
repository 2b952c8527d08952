using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

public class WindowPartitionTests
{
    [Fact]
    public void PartitionPadsWithZerosAndOrdersWindowsRowMajorPerImage()
    {
        // [B=2, H=5, W=7, C=3] with window 3 → padded 6×9, 2×3 windows per image.
        const int b = 2, h = 5, w = 7, c = 3, ws = 3;
        using var x = arange(b * h * w * c, dtype: ScalarType.Float32).reshape(b, h, w, c) + 1;
        using var windows = WindowPartition.Partition(x, ws, out var ph, out var pw);
        Assert.Equal(6, ph);
        Assert.Equal(9, pw);
        Assert.Equal(new long[] { b * 2 * 3, ws, ws, c }, windows.shape);
        var src = x.data<float>().ToArray();
        var got = windows.contiguous().data<float>().ToArray();
        for (var bi = 0; bi < b; bi++)
        for (var wy = 0; wy < 2; wy++)
        for (var wx = 0; wx < 3; wx++)
        for (var yy = 0; yy < ws; yy++)
        for (var xx = 0; xx < ws; xx++)
        for (var ch = 0; ch < c; ch++)
        {
            int y = wy * ws + yy, xq = wx * ws + xx;
            var expected = y < h && xq < w ? src[((bi * h + y) * w + xq) * c + ch] : 0f;
            var win = bi * 6 + wy * 3 + wx;
            Assert.Equal(expected, got[((win * ws + yy) * ws + xx) * c + ch]);
        }
    }

    [Fact]
    public void UnpartitionInvertsPartitionAndCropsPadding()
    {
        using var x = randn(2, 10, 13, 4);
        using var windows = WindowPartition.Partition(x, 4, out var ph, out var pw);
        using var back = WindowPartition.Unpartition(windows, 4, ph, pw, 10, 13);
        Assert.True(back.equal(x).all().item<bool>());
    }
}
