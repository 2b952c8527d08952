using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Random-Fourier position encoding (<c>sam_prompt_encoder.pe_layer</c>): for c ∈ [0,1]², φ = 2π·((2c−1)·G) with the
/// fixed Gaussian buffer G <c>[2, C/2]</c> (x uses row 0, y row 1), output [sin φ, cos φ] (concatenated halves).
/// </summary>
public sealed class PositionEmbeddingRandom : nn.Module
{
    [ComponentName(Name = "positional_encoding_gaussian_matrix")] private Tensor _gaussian;

    public PositionEmbeddingRandom(int numPosFeats) : base(nameof(PositionEmbeddingRandom))
    {
        // Random at init like the reference; checkpoints always overwrite it.
        _gaussian = randn(2, numPosFeats);
        RegisterComponents();
    }

    public Tensor GaussianMatrix => _gaussian;

    /// <summary>Encodes coordinates already normalized to [0,1]: <c>[..., 2]</c> → <c>[..., 2·numPosFeats]</c>.</summary>
    public Tensor Encode(Tensor coords)
    {
        using var scope = NewDisposeScope();
        var c = 2 * coords - 1;
        c = c.matmul(_gaussian);
        c = 2 * Math.PI * c;
        return cat(new[] { c.sin(), c.cos() }, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Dense grid encoding <c>[C,h,w]</c> at pixel centres ((j+0.5)/w, (i+0.5)/h).</summary>
    public Tensor Grid(long h, long w)
    {
        using var scope = NewDisposeScope();
        var grid = ones(new[] { h, w }, dtype: ScalarType.Float32, device: _gaussian.device);
        var yEmbed = (grid.cumsum(0) - 0.5) / h;
        var xEmbed = (grid.cumsum(1) - 0.5) / w;
        var pe = Encode(stack(new[] { xEmbed, yEmbed }, -1));
        return pe.permute(2, 0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Encodes pixel coordinates <c>[B,N,2]</c> (x, y) of an image of the given size.</summary>
    public Tensor EncodeCoords(Tensor coords, long imageH, long imageW)
    {
        using var scope = NewDisposeScope();
        // Division (not multiplication by a reciprocal) to match the reference bit for bit.
        var normalized = stack(new[] { coords[.., .., 0] / imageW, coords[.., .., 1] / imageH }, -1);
        return Encode(normalized.to_type(ScalarType.Float32)).MoveToOuterDisposeScope();
    }
}
