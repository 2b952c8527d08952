using QSam2.Runtime.Segmenters;

namespace QSam2.Generators.Tests.Runtime;

/// <summary>The SAM2 glue steps generated code calls, against direct definitions.</summary>
public class SegmenterGlueTests
{
    [Theory]
    [InlineData(8, 8, 3, 4)]
    [InlineData(7, 10, 2, 4)]
    [InlineData(16, 16, 5, 6)]
    public void WindowPartitionThenUnpartition_RestoresTheMapPlusResidual(int h, int w, int c, int ws)
    {
        int hp = (h + ws - 1) / ws * ws, wp = (w + ws - 1) / ws * ws;
        var arena = new SegmenterArena(4L * (h * w * c * 3 + hp * wp * c) + 256);
        long x = 0, windows = 4L * h * w * c, residual = windows + 4L * hp * wp * c, output = residual + 4L * h * w * c;
        var rng = new Random(3);
        var src = arena.F(x, h * w * c);
        var res = arena.F(residual, h * w * c);
        for (int i = 0; i < src.Length; i++) { src[i] = (float)rng.NextDouble(); res[i] = i; }
        Sam2Ops.WindowPartition(arena, x, h, w, c, ws, windows);
        var win = arena.F(windows, hp * wp * c);
        // Direct definition: window (wy, wx), token (ty, tx) holds map (wy·ws + ty, wx·ws + tx) or zero padding.
        int gw = wp / ws;
        for (int y = 0; y < hp; y++)
            for (int xx = 0; xx < wp; xx++)
                for (int ch = 0; ch < c; ch++)
                {
                    int idx = (((y / ws) * gw + xx / ws) * ws * ws + (y % ws) * ws + xx % ws) * c + ch;
                    float expected = y < h && xx < w ? src[(y * w + xx) * c + ch] : 0f;
                    Assert.Equal(expected, win[idx]);
                }
        Sam2Ops.WindowUnpartitionAdd(arena, windows, ws, h, w, c, residual, output);
        var outMap = arena.F(output, h * w * c);
        for (int i = 0; i < outMap.Length; i++) Assert.Equal(src[i] + i, outMap[i]);
    }

    [Fact]
    public void MaxPool2x2_TakesTheMaxOfEachQuad()
    {
        var arena = new SegmenterArena(4096);
        var src = arena.F(0, 4 * 4 * 2);
        for (int i = 0; i < src.Length; i++) src[i] = (i * 7) % 11;
        Sam2Ops.MaxPool2x2(arena, 0, 4, 4, 2, 512);
        var dst = arena.F(512, 2 * 2 * 2);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++)
                for (int c = 0; c < 2; c++)
                {
                    float m = float.MinValue;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) m = Math.Max(m, src[((2 * y + dy) * 4 + 2 * x + dx) * 2 + c]);
                    Assert.Equal(m, dst[(y * 2 + x) * 2 + c]);
                }
    }

    [Fact]
    public void MaskSelection_FollowsMultimaskAndTheStabilityFallback()
    {
        var info = new Sam2SegmenterInfo { DynamicMultimaskViaStability = true, StabilityDelta = 0.05f, StabilityThreshold = 0.98f };
        int plane = 100;
        var masks = new float[4 * plane];
        var iou = new float[] { 0.9f, 0.2f, 0.7f, 0.7f };
        Assert.Equal(new[] { 1, 2, 3 }, MaskSelection.Choose(masks, iou, plane, 4, multimask: true, info));
        // Token 0 is unstable (logits near 0 everywhere: area above +δ is 0, above −δ is 100) → best of 1..3, first on ties.
        Assert.Equal(new[] { 2 }, MaskSelection.Choose(masks, iou, plane, 4, multimask: false, info));
        // Token 0 is stable (all far from the threshold) → token 0.
        for (int i = 0; i < plane; i++) masks[i] = i < 50 ? 5f : -5f;
        Assert.Equal(new[] { 0 }, MaskSelection.Choose(masks, iou, plane, 4, multimask: false, info));
        Assert.Equal(1f, MaskSelection.StabilityScore(masks.AsSpan(0, plane), 0.05f));
        Assert.Equal(new[] { 0 }, MaskSelection.Choose(new float[4 * plane], iou, plane, 4, false, info with { DynamicMultimaskViaStability = false }));
    }

    [Fact]
    public void Arena_IsAlignedAndBoundsChecked()
    {
        var arena = new SegmenterArena(1000);
        unsafe
        {
            fixed (float* p = arena.F(0, 1)) Assert.Equal(0, (long)p % 64);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.F(996, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => arena.B(-1, 1));
    }
}
