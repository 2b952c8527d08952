using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Hiera attention over channels-last windows <c>[Bw, H, W, dim]</c> (keys <c>qkv</c>, <c>proj</c>). On stage-transition
/// blocks the queries — only the queries — are max-pooled inside each window before attention.
/// </summary>
public sealed class MultiScaleAttention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")] private readonly Linear _qkv;
    [ComponentName(Name = "proj")] private readonly Linear _proj;
    private readonly int _heads;
    private readonly long[]? _qStride;

    public MultiScaleAttention(int dim, int dimOut, int heads, long[]? qStride) : base(nameof(MultiScaleAttention))
    {
        _qkv = nn.Linear(dim, dimOut * 3L);
        _proj = nn.Linear(dimOut, dimOut);
        _heads = heads;
        _qStride = qStride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[1], w = x.shape[2];
        // Fused qkv channels are [q | k | v], each head-major: channel s·dimOut + head·hd + d.
        var qkv = _qkv.call(x).reshape(b, h * w, 3, _heads, -1);
        var parts = qkv.unbind(2);
        Tensor q = parts[0], k = parts[1], v = parts[2];
        if (_qStride is not null)
        {
            var pooled = nn.functional.max_pool2d(q.reshape(b, h, w, -1).permute(0, 3, 1, 2), _qStride, _qStride)
                .permute(0, 2, 3, 1);
            h = pooled.shape[1];
            w = pooled.shape[2];
            q = pooled.reshape(b, h * w, _heads, -1);
        }
        var o = nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
            .transpose(1, 2)
            .reshape(b, h, w, -1);
        return _proj.call(o).MoveToOuterDisposeScope();
    }
}
