using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Learnable statistical clipping (LSC) for weights: every scale slice is clipped to <c>μ ± α·σ</c> of its own
/// values, which on the symmetric signed grid means the clip value <c>a = |μ| + α·σ</c>. α is one learned scalar per
/// layer (Q-SAM2 v2: "learnable clipping factors"), trained through the STE with LSQ's step-size gradient and
/// gradient scale <c>1/√(numel·QMax)</c>; μ and σ are running statistics with momentum, updated in training mode
/// (the "momentum-stabilized" part, our reading of the paper). See docs/quantization.md, LSC section.
/// </summary>
public sealed class LscWeightQuantizer : IWeightFakeQuantizer
{
    private readonly WeightSlicing _slicing;
    private readonly int _bits;
    private readonly double _momentum;
    private readonly Parameter _alpha;
    private readonly Tensor _mean;
    private readonly Tensor _std;

    /// <param name="weight">The layer's weight now (initial statistics).</param>
    /// <param name="alpha">Initial clip factor (e.g. from an MSE search, <see cref="Calibration.LscInitializer"/>).</param>
    /// <param name="momentum">Weight of the newest batch in the running statistics (0 keeps the initial ones).</param>
    public LscWeightQuantizer(WeightSlicing slicing, int bits, Tensor weight, double alpha, double momentum)
    {
        _slicing = slicing ?? throw new ArgumentNullException(nameof(slicing));
        FakeQuant.CheckWeightBits(bits);
        if (!(alpha > 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "initial LSC alpha must be positive");
        if (momentum is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1]");
        _bits = bits;
        _momentum = momentum;
        using (no_grad())
        {
            var (mean, std) = Statistics(slicing.ToSlices(weight.detach()));
            _mean = mean.DetachFromDisposeScope();
            _std = std.DetachFromDisposeScope();
            _alpha = new Parameter(tensor((float)alpha, device: weight.device), requires_grad: true);
        }
    }

    public string Kind => "lsc";

    public Parameter Alpha => _alpha;

    public IReadOnlyList<Parameter> LearnedParameters => new[] { _alpha };

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor> { ["mean"] = _mean, ["std"] = _std };

    public Tensor Quantize(Tensor weight, bool training)
    {
        using var scope = NewDisposeScope();
        var slices = _slicing.ToSlices(weight);
        if (training && _momentum > 0)
        {
            using var noGrad = no_grad();
            var (mean, std) = Statistics(slices.detach());
            _mean.mul_(1 - _momentum).add_(mean * _momentum);
            _std.mul_(1 - _momentum).add_(std * _momentum);
        }
        double g = 1.0 / Math.Sqrt((double)weight.numel() * FakeQuant.WeightQMax(_bits));
        // Snapshots: the running statistics change in place when the layer runs again before backward.
        var clip = _mean.abs() + (FakeQuant.GradScale(_alpha, g) * _std.clone());
        return _slicing.FromSlices(FakeQuant.Weight(slices, clip, _bits)).MoveToOuterDisposeScope();
    }

    public float[] ClipValues(Tensor weight)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clip = _mean.abs() + (_alpha * _std);
        return clip.expand(_slicing.ClipShape).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>Mean and population standard deviation of every slice (of the whole tensor for per-tensor granularity).</summary>
    internal (Tensor Mean, Tensor Std) Statistics(Tensor slices)
    {
        if (_slicing.Granularity == QuantGranularity.PerTensor)
        {
            var flat = slices.reshape(-1);
            return (flat.mean().reshape(1, 1, 1), flat.std(unbiased: false).reshape(1, 1, 1));
        }
        return (slices.mean(new long[] { 2 }, keepdim: true), slices.std(2, unbiased: false, keepdim: true));
    }
}
