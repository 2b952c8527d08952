using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Hiera's windowed absolute position embedding: the background table bicubically resized to the token grid
/// (PyTorch bicubic, a = −0.75, align_corners = false) plus the window table tiled from (0,0), returned channels-last.
/// Differentiable, so it is recomputed from the parameters during training.
/// </summary>
public static class HieraPositionEmbedding
{
    /// <param name="posEmbed">Background table <c>[1,C,bh,bw]</c>.</param>
    /// <param name="posEmbedWindow">Window table <c>[1,C,ws,ws]</c>.</param>
    /// <returns><c>[1,h,w,C]</c>.</returns>
    public static Tensor Compute(Tensor posEmbed, Tensor posEmbedWindow, long h, long w)
    {
        long wh = posEmbedWindow.shape[2], ww = posEmbedWindow.shape[3];
        if (h % wh != 0 || w % ww != 0)
            throw new ArgumentException(
                $"token grid {h}x{w} is not a multiple of the window position embedding {wh}x{ww}: the input side must be a multiple of patch_stride·{wh}");
        using var scope = NewDisposeScope();
        var bkg = nn.functional.interpolate(posEmbed, size: new[] { h, w }, mode: InterpolationMode.Bicubic, align_corners: false);
        var pos = bkg + posEmbedWindow.tile(new[] { 1L, 1L, h / wh, w / ww });
        return pos.permute(0, 2, 3, 1).MoveToOuterDisposeScope();
    }
}
