using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Axial 2-D rotary position encoding of SAM2's memory attention. Channels are taken as complex pairs (2m, 2m+1);
/// the first half of the pairs rotate by x·f_j, the second half by y·f_j, f_j = θ^(−4j/d), for token n at
/// x = n mod W, y = ⌊n/W⌋. Implemented with real cos/sin tables (no complex tensors).
/// </summary>
public static class RotaryEncoding
{
    /// <summary>Rotation angles' cos and sin, each <c>[W·H, d/2]</c>, for per-head width <paramref name="dim"/>.</summary>
    public static (Tensor Cos, Tensor Sin) AxialTables(int dim, long endX, long endY, double theta, Device device)
    {
        if (dim % 4 != 0) throw new ArgumentException($"RoPE head width {dim} must be a multiple of 4", nameof(dim));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var exponents = arange(0, dim, 4, dtype: ScalarType.Float32, device: device)[..(dim / 4)] / dim;
        var freqs = 1.0 / pow(theta, exponents);
        var t = arange(endX * endY, dtype: ScalarType.Float32, device: device);
        var tx = t.remainder(endX);
        var ty = t.floor_divide(endX);
        var angles = cat(new[] { outer(tx, freqs), outer(ty, freqs) }, -1);
        return (angles.cos().MoveToOuterDisposeScope(), angles.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <c>[..., N, d]</c> by tables <c>[N, d/2]</c>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var shape = x.shape;
        var pairs = x.reshape(shape[..^1].Append(shape[^1] / 2).Append(2L).ToArray());
        var a = pairs.select(-1, 0);
        var b = pairs.select(-1, 1);
        var rotated = stack(new[] { a * cos - b * sin, a * sin + b * cos }, -1).reshape(shape);
        return rotated.MoveToOuterDisposeScope();
    }
}
