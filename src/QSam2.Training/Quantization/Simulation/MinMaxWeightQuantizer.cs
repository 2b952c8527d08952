using QSam2.Training.Quantization.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// The classic MinMax QAT weight quantizer: the clip value of every slice is max|w| of the current (trained) weight,
/// recomputed at each forward and not learned; rounding passes gradients straight through.
/// </summary>
public sealed class MinMaxWeightQuantizer : IWeightFakeQuantizer
{
    private readonly WeightSlicing _slicing;
    private readonly int _bits;

    public MinMaxWeightQuantizer(WeightSlicing slicing, int bits)
    {
        _slicing = slicing ?? throw new ArgumentNullException(nameof(slicing));
        FakeQuant.CheckWeightBits(bits);
        _bits = bits;
    }

    public string Kind => "minmax";

    public IReadOnlyList<Parameter> LearnedParameters => Array.Empty<Parameter>();

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>();

    public Tensor Quantize(Tensor weight, bool training)
    {
        using var scope = NewDisposeScope();
        var slices = _slicing.ToSlices(weight);
        var clip = AbsMax(slices.detach());
        return _slicing.FromSlices(FakeQuant.Weight(slices, clip, _bits)).MoveToOuterDisposeScope();
    }

    public float[] ClipValues(Tensor weight)
    {
        using var scope = NewDisposeScope();
        return AbsMax(_slicing.ToSlices(weight.detach())).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>max|w| per slice, or over the whole tensor for per-tensor granularity, shaped like the clip tensor.</summary>
    private Tensor AbsMax(Tensor slices)
    {
        var abs = slices.abs();
        return _slicing.Granularity == Spec.Quant.QuantGranularity.PerTensor
            ? abs.max().reshape(1, 1, 1)
            : abs.amax(new long[] { 2 }, keepdim: true);
    }
}
