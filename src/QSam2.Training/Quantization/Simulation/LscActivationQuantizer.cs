using QSam2.Runtime.Kernels.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Learnable statistical clipping (LSC) for the activation entering a layer: the clip range is <c>μ ± α·σ</c> of the
/// tensor, never wider than the observed running min/max, then widened to contain 0 (the affine grid's rule). α is a
/// learned scalar per layer (STE + LSQ step-size gradient, gradient scale <c>1/√(numel·QMax)</c>); μ, σ, min and max
/// are running statistics with momentum, updated in training mode.
/// </summary>
public sealed class LscActivationQuantizer : IActivationFakeQuantizer
{
    private readonly int _bits;
    private readonly double _momentum;
    private readonly Parameter _alpha;
    private readonly Tensor _mean;
    private readonly Tensor _std;
    private readonly Tensor _min;
    private readonly Tensor _max;

    public LscActivationQuantizer(int bits, ActivationStatistics initial, double alpha, double momentum)
    {
        FakeQuant.CheckActivationBits(bits);
        ArgumentNullException.ThrowIfNull(initial);
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "initial LSC alpha must be positive");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1]");
        _bits = bits;
        _momentum = momentum;
        _mean = tensor((float)initial.Mean).DetachFromDisposeScope();
        _std = tensor((float)initial.Std).DetachFromDisposeScope();
        _min = tensor(initial.Min).DetachFromDisposeScope();
        _max = tensor(initial.Max).DetachFromDisposeScope();
        _alpha = new Parameter(tensor((float)alpha), requires_grad: true);
    }

    public string Kind => "lsc";

    public Parameter Alpha => _alpha;

    public IReadOnlyList<Parameter> LearnedParameters => new[] { _alpha };

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>
    {
        ["mean"] = _mean, ["std"] = _std, ["min"] = _min, ["max"] = _max,
    };

    public ActivationQuantParams Export()
    {
        var (lo, hi) = Range(_alpha.detach());
        return ActivationQuantParams.FromRange(lo.item<float>(), hi.item<float>(), _bits);
    }

    public Tensor Quantize(Tensor x, bool training)
    {
        using var scope = NewDisposeScope();
        if (training && _momentum > 0)
        {
            using var noGrad = no_grad();
            var d = x.detach().reshape(-1);
            Update(_mean, d.mean());
            Update(_std, d.std(unbiased: false));
            Update(_min, d.min());
            Update(_max, d.max());
        }
        double g = 1.0 / Math.Sqrt((double)x.numel() * FakeQuant.ActivationQMax(_bits));
        var (lo, hi) = Range(FakeQuant.GradScale(_alpha, g));
        var (s, z) = FakeQuant.ActivationParams(lo.to(x.device), hi.to(x.device), _bits);
        return FakeQuant.Activation(x, s, z, _bits).MoveToOuterDisposeScope();
    }

    private (Tensor Lo, Tensor Hi) Range(Tensor alpha)
    {
        // Snapshots: the running statistics change in place when the layer runs again before backward.
        var mean = _mean.clone();
        var half = alpha * _std.clone();
        return (maximum(mean - half, _min.clone()), minimum(mean + half, _max.clone()));
    }

    private void Update(Tensor running, Tensor batch) => running.mul_(1 - _momentum).add_(batch.cpu() * _momentum);
}
