using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// SAM2's generic <c>MLP(in, hidden, out, L)</c>: L Linear layers (keys <c>layers.{i}</c>), the activation after every
/// layer but the last, and an optional sigmoid on the output (IoU head).
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "layers")] private readonly ModuleList<Linear> _layers;
    private readonly MlpActivation _activation;
    private readonly bool _sigmoidOutput;

    public Mlp(long inputDim, long hiddenDim, long outputDim, int numLayers, MlpActivation activation = MlpActivation.Relu, bool sigmoidOutput = false)
        : base(nameof(Mlp))
    {
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "an MLP needs at least one layer");
        _layers = new ModuleList<Linear>();
        for (var i = 0; i < numLayers; i++)
        {
            var inDim = i == 0 ? inputDim : hiddenDim;
            var outDim = i == numLayers - 1 ? outputDim : hiddenDim;
            _layers.Add(nn.Linear(inDim, outDim));
        }
        _activation = activation;
        _sigmoidOutput = sigmoidOutput;
        RegisterComponents();
    }

    public int NumLayers => _layers.Count;

    public Linear Layer(int index) => _layers[index];

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (var i = 0; i < _layers.Count; i++)
        {
            h = _layers[i].call(h);
            if (i < _layers.Count - 1)
                h = _activation == MlpActivation.Relu ? nn.functional.relu(h) : nn.functional.gelu(h);
        }
        if (_sigmoidOutput) h = h.sigmoid();
        return h.MoveToOuterDisposeScope();
    }
}
