using QSam2.Runtime.Kernels.Quant;
using QSam2.Training.Quantization.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// The MinMax QAT activation quantizer (baseline): running min/max with exponential decay (0.99, as the public
/// SAM2 MinMax-QAT configs use), updated in training mode; scale and zero point follow the range, nothing is learned.
/// </summary>
public sealed class EmaMinMaxActivationQuantizer : IActivationFakeQuantizer
{
    private readonly int _bits;
    private readonly double _decay;
    private readonly Tensor _min;
    private readonly Tensor _max;

    public EmaMinMaxActivationQuantizer(int bits, float initialMin, float initialMax, double decay = 0.99)
    {
        FakeQuant.CheckActivationBits(bits);
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be in [0, 1]");
        if (!(initialMin <= initialMax)) throw new ArgumentException($"initial range [{initialMin}, {initialMax}] is not ordered");
        _bits = bits;
        _decay = decay;
        _min = tensor(initialMin).DetachFromDisposeScope();
        _max = tensor(initialMax).DetachFromDisposeScope();
    }

    public string Kind => "minmax-ema";

    public IReadOnlyList<Parameter> LearnedParameters => Array.Empty<Parameter>();

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["min"] = _min, ["max"] = _max };

    public ActivationQuantParams Export() => ActivationQuantParams.FromRange(_min.item<float>(), _max.item<float>(), _bits);

    public Tensor Quantize(Tensor x, bool training)
    {
        using var scope = NewDisposeScope();
        if (training)
        {
            using var noGrad = no_grad();
            _min.mul_(_decay).add_(x.detach().min().cpu() * (1 - _decay));
            _max.mul_(_decay).add_(x.detach().max().cpu() * (1 - _decay));
        }
        var (s, z) = FakeQuant.ActivationParams(_min.to(x.device), _max.to(x.device), _bits);
        return FakeQuant.Activation(x, s.detach(), z, _bits).MoveToOuterDisposeScope();
    }
}
