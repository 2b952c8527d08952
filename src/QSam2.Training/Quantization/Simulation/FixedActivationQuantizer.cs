using QSam2.Runtime.Kernels.Quant;
using QSam2.Training.Quantization.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>Post-training activation quantizer: a calibrated scale and zero point, used as they are.</summary>
public sealed class FixedActivationQuantizer : IActivationFakeQuantizer
{
    private readonly ActivationQuantParams _params;

    public FixedActivationQuantizer(ActivationQuantParams parameters, string kind)
    {
        parameters.Validate(kind);
        _params = parameters;
        Kind = kind;
    }

    public string Kind { get; }

    public IReadOnlyList<Parameter> LearnedParameters => Array.Empty<Parameter>();

    public IReadOnlyDictionary<string, Tensor> State => new Dictionary<string, Tensor>();

    public ActivationQuantParams Export() => _params;

    public Tensor Quantize(Tensor x, bool training)
    {
        using var scope = NewDisposeScope();
        var s = tensor(_params.Scale, dtype: ScalarType.Float32, device: x.device);
        var z = tensor((float)_params.ZeroPoint, dtype: ScalarType.Float32, device: x.device);
        return FakeQuant.Activation(x, s, z, _params.Bits).MoveToOuterDisposeScope();
    }
}
