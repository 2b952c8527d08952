using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>Hiera patch embedding (key <c>proj</c>): strided conv, then NCHW → channels-last <c>[B,H,W,C]</c>.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")] private readonly Conv2d _proj;

    public PatchEmbed(int inChannels, int embedDim, int kernelSize, int stride, int padding) : base(nameof(PatchEmbed))
    {
        _proj = nn.Conv2d(inChannels, embedDim, kernelSize, stride: stride, padding: padding);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _proj.call(x).permute(0, 2, 3, 1).MoveToOuterDisposeScope();
    }
}
