using QSam2.Training.Quantization.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// Post-training weight quantizer: clip values decided once by a calibrator (MinMax, percentile, MSE search) and
/// kept; the weight itself is not trained.
/// </summary>
public sealed class FixedClipWeightQuantizer : IWeightFakeQuantizer
{
    private readonly WeightSlicing _slicing;
    private readonly int _bits;
    private readonly float[] _clip;

    public FixedClipWeightQuantizer(WeightSlicing slicing, int bits, float[] clip, string kind)
    {
        _slicing = slicing ?? throw new ArgumentNullException(nameof(slicing));
        FakeQuant.CheckWeightBits(bits);
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Length != slicing.ClipCount) throw new ArgumentException($"{clip.Length} clip values for {slicing.ClipCount} scale slices");
        foreach (var c in clip)
            if (!(c >= 0) || !float.IsFinite(c)) throw new ArgumentException($"clip value {c} must be finite and >= 0");
        _bits = bits;
        _clip = (float[])clip.Clone();
        Kind = kind;
    }

    public string Kind { get; }

    public IReadOnlyList<Parameter> LearnedParameters => Array.Empty<Parameter>();

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>();

    public Tensor Quantize(Tensor weight, bool training)
    {
        using var scope = NewDisposeScope();
        var clip = tensor(_clip, _slicing.ClipShape, dtype: ScalarType.Float32, device: weight.device);
        return _slicing.FromSlices(FakeQuant.Weight(_slicing.ToSlices(weight), clip, _bits)).MoveToOuterDisposeScope();
    }

    public float[] ClipValues(Tensor weight) => (float[])_clip.Clone();
}
