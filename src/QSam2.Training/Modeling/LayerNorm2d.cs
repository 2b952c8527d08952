using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Channel-wise LayerNorm on NCHW maps (SAM2's <c>LayerNorm2d</c>): per pixel, mean and biased variance over channels.
/// Written out rather than calling <c>layer_norm</c> on a permuted view so the arithmetic order matches the reference.
/// </summary>
public sealed class LayerNorm2d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter _weight;
    [ComponentName(Name = "bias")] private readonly Parameter _bias;
    private readonly double _eps;

    public LayerNorm2d(long channels, double eps) : base(nameof(LayerNorm2d))
    {
        _weight = new Parameter(ones(channels));
        _bias = new Parameter(zeros(channels));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var u = x.mean(new long[] { 1 }, keepdim: true);
        var d = x - u;
        var s = d.pow(2).mean(new long[] { 1 }, keepdim: true);
        var n = d / (s + _eps).sqrt();
        var y = _weight.view(-1, 1, 1) * n + _bias.view(-1, 1, 1);
        return y.MoveToOuterDisposeScope();
    }
}
