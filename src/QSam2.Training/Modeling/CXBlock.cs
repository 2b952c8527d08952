using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// ConvNeXt block of the memory fuser: depthwise conv → LayerNorm2d → per-pixel Linear ×4 → GELU → Linear →
/// layer scale <c>gamma</c>, added to the input.
/// </summary>
public sealed class CXBlock : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "dwconv")] private readonly Conv2d _dwconv;
    [ComponentName(Name = "norm")] private readonly LayerNorm2d _norm;
    [ComponentName(Name = "pwconv1")] private readonly Linear _pwconv1;
    [ComponentName(Name = "pwconv2")] private readonly Linear _pwconv2;
    [ComponentName(Name = "gamma")] private readonly Parameter? _gamma;

    public CXBlock(int dim, int kernelSize, int padding, double layerScaleInit, double layerNormEps) : base(nameof(CXBlock))
    {
        _dwconv = nn.Conv2d(dim, dim, kernelSize, padding: padding, groups: dim);
        _norm = new LayerNorm2d(dim, layerNormEps);
        _pwconv1 = nn.Linear(dim, 4L * dim);
        _pwconv2 = nn.Linear(4L * dim, dim);
        if (layerScaleInit > 0) _gamma = new Parameter(full(dim, layerScaleInit, dtype: ScalarType.Float32));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = _norm.call(_dwconv.call(x)).permute(0, 2, 3, 1);
        y = _pwconv2.call(nn.functional.gelu(_pwconv1.call(y)));
        if (_gamma is not null) y = _gamma * y;
        return (x + y.permute(0, 3, 1, 2)).MoveToOuterDisposeScope();
    }
}
