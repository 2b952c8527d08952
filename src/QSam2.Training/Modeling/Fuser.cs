using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>Memory-encoder fuser (<c>fuser.layers.{i}</c>): a stack of <see cref="CXBlock"/>s, no input projection.</summary>
public sealed class Fuser : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")] private readonly ModuleList<CXBlock> _layers;

    public Fuser(MemoryEncoderSpec spec) : base(nameof(Fuser))
    {
        _layers = new ModuleList<CXBlock>();
        for (var i = 0; i < spec.FuserNumLayers; i++)
            _layers.Add(new CXBlock(spec.InDim, spec.FuserKernelSize, spec.FuserPadding, spec.FuserLayerScaleInit, spec.LayerNormEps));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var layer in _layers) y = layer.call(y);
        return y.MoveToOuterDisposeScope();
    }
}
