using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// DETR-style sine position encoding of an H×W grid (SAM2's <c>PositionEmbeddingSine</c>, normalize = true, scale 2π):
/// positions (i+1)/(n+1e-6)·2π, frequencies temperature^(2⌊k/2⌋/d), interleaved sin/cos per axis, channels [y, x].
/// Has no parameters; depends only on the grid size, so results are cached per size and device.
/// </summary>
public sealed class PositionEmbeddingSine : IDisposable
{
    private readonly Dictionary<(long H, long W, string Device), Tensor> _cache = new();

    public PositionEmbeddingSine(int numPosFeats, double temperature = 10000)
    {
        if (numPosFeats <= 0 || numPosFeats % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(numPosFeats), numPosFeats, "sine position encoding needs a positive multiple of 4 channels");
        NumPosFeats = numPosFeats;
        Temperature = temperature;
    }

    /// <summary>Total output channels (half for y, half for x).</summary>
    public int NumPosFeats { get; }

    public double Temperature { get; }

    /// <summary>Encoding for a map shaped like <paramref name="x"/> <c>[B,·,H,W]</c>: <c>[B,NumPosFeats,H,W]</c>.</summary>
    public Tensor Forward(Tensor x) => Encode(x.shape[0], x.shape[^2], x.shape[^1], x.device);

    public Tensor Encode(long batch, long h, long w, Device device)
    {
        var key = (h, w, device.ToString());
        lock (_cache)
        {
            if (!_cache.TryGetValue(key, out var pe))
            {
                pe = Compute(h, w, device).DetachFromDisposeScope();
                _cache[key] = pe;
            }
            return pe.unsqueeze(0).expand(batch, -1, -1, -1).contiguous();
        }
    }

    private Tensor Compute(long h, long w, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var d = NumPosFeats / 2;
        const double eps = 1e-6;
        const double scale = 2 * Math.PI;
        var yEmbed = arange(1, h + 1, dtype: ScalarType.Float32, device: device);
        var xEmbed = arange(1, w + 1, dtype: ScalarType.Float32, device: device);
        yEmbed = yEmbed / (yEmbed[-1] + eps) * scale;
        xEmbed = xEmbed / (xEmbed[-1] + eps) * scale;

        var dimT = arange(d, dtype: ScalarType.Float32, device: device);
        dimT = pow(Temperature, 2 * dimT.floor_divide(2) / d);

        var posY = Interleave(yEmbed.unsqueeze(1) / dimT);   // [H, d]
        var posX = Interleave(xEmbed.unsqueeze(1) / dimT);   // [W, d]
        var grid = cat(new[]
        {
            posY.unsqueeze(1).expand(h, w, d),
            posX.unsqueeze(0).expand(h, w, d),
        }, 2);
        return grid.permute(2, 0, 1).contiguous().MoveToOuterDisposeScope();
    }

    // Even channels take sin, odd channels cos, kept in place (stack on a new last dim, then flatten).
    private static Tensor Interleave(Tensor p)
    {
        var sinEven = p[.., TensorIndex.Slice(0, null, 2)].sin();
        var cosOdd = p[.., TensorIndex.Slice(1, null, 2)].cos();
        return stack(new[] { sinEven, cosOdd }, 2).flatten(1);
    }

    public void Dispose()
    {
        lock (_cache)
        {
            foreach (var t in _cache.Values) t.Dispose();
            _cache.Clear();
        }
    }
}
