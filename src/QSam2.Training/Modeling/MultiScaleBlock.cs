using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// One Hiera block on channels-last maps <c>[B,H,W,dim]</c> (keys <c>norm1</c>, <c>attn</c>, <c>norm2</c>, <c>mlp</c>,
/// and <c>proj</c> on width-changing blocks). The shortcut of a width-changing block is maxpool(proj(norm1(x))) — taken
/// from the normalized input — while other blocks keep the raw input as shortcut.
/// </summary>
public sealed class MultiScaleBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")] private readonly LayerNorm _norm1;
    [ComponentName(Name = "attn")] private readonly MultiScaleAttention _attn;
    [ComponentName(Name = "norm2")] private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")] private readonly Mlp _mlp;
    [ComponentName(Name = "proj")] private readonly Linear? _proj;
    private readonly long[]? _qStride;

    public MultiScaleBlock(HieraBlockPlan plan, long[] qStride, double mlpRatio, double layerNormEps) : base(nameof(MultiScaleBlock))
    {
        Plan = plan;
        _qStride = plan.QPool ? qStride : null;
        _norm1 = nn.LayerNorm(plan.DimIn, layerNormEps);
        _attn = new MultiScaleAttention(plan.DimIn, plan.DimOut, plan.Heads, _qStride);
        _norm2 = nn.LayerNorm(plan.DimOut, layerNormEps);
        _mlp = new Mlp(plan.DimOut, (long)(plan.DimOut * mlpRatio), plan.DimOut, 2, MlpActivation.Gelu);
        if (plan.DimIn != plan.DimOut) _proj = nn.Linear(plan.DimIn, plan.DimOut);
        RegisterComponents();
    }

    public HieraBlockPlan Plan { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var xn = _norm1.call(x);
        var shortcut = x;
        if (_proj is not null)
        {
            shortcut = _proj.call(xn);
            if (_qStride is not null)
                shortcut = nn.functional.max_pool2d(shortcut.permute(0, 3, 1, 2), _qStride, _qStride).permute(0, 2, 3, 1);
        }

        long h = x.shape[1], w = x.shape[2];
        long window = Plan.WindowSize, padH = 0, padW = 0;
        var a = window > 0 ? WindowPartition.Partition(xn, window, out padH, out padW) : xn;
        a = _attn.call(a);
        if (_qStride is not null)
        {
            // Queries were pooled inside each window: the windows shrink and the target map is the shortcut's size.
            window = Plan.WindowSize / _qStride[0];
            h = shortcut.shape[1];
            w = shortcut.shape[2];
            if (window > 0)
            {
                padH = WindowPartition.PaddedSize(h, window);
                padW = WindowPartition.PaddedSize(w, window);
            }
        }
        if (Plan.WindowSize > 0)
            a = WindowPartition.Unpartition(a, window, padH, padW, h, w);

        var y = shortcut + a;
        y = y + _mlp.call(_norm2.call(y));
        return y.MoveToOuterDisposeScope();
    }
}
