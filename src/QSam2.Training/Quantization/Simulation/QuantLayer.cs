using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Simulation;

/// <summary>
/// One hooked weight layer of a model under quantization. The model's own Linear/Conv modules stay in place (state
/// dict keys unchanged); a forward pre-hook takes the layer's input and hands the module a one-pixel dummy instead,
/// and the forward hook replaces the dummy output by the layer recomputed with the fake-quantized input and weight
/// (<see cref="Apply"/>). The recomputation is differentiable, so QAT trains the module's own weight through the STE.
/// </summary>
public sealed class QuantLayer
{
    private Tensor? _pending;

    internal QuantLayer(QuantTarget target, ResolvedLayerQuant quant, nn.Module<Tensor, Tensor> module)
    {
        Target = target;
        Quant = quant;
        Module = module;
        Slicing = WeightSlicing.For(LayerModules.Weight(module).shape, target.OutputAxis, quant.Granularity, quant.GroupSize, target.Name);
    }

    public string Name => Target.Name;

    public QuantTarget Target { get; }

    public ResolvedLayerQuant Quant { get; }

    public nn.Module<Tensor, Tensor> Module { get; }

    public Parameter Weight => LayerModules.Weight(Module);

    public Parameter? Bias => LayerModules.Bias(Module);

    public WeightSlicing Slicing { get; }

    public LayerMode Mode { get; set; } = LayerMode.Float;

    /// <summary>In <see cref="LayerMode.Quantize"/>: fake-quantize the weight (false: float weight).</summary>
    public bool QuantizeWeights { get; set; } = true;

    /// <summary>In <see cref="LayerMode.Quantize"/>: fake-quantize the input (false: float input).</summary>
    public bool QuantizeActivations { get; set; } = true;

    /// <summary>Quantizers update running statistics (QAT training steps).</summary>
    public bool Training { get; set; }

    public IWeightFakeQuantizer? WeightQuantizer { get; set; }

    public IActivationFakeQuantizer? ActivationQuantizer { get; set; }

    /// <summary>Receives the layer's input in <see cref="LayerMode.Observe"/>.</summary>
    public Action<QuantLayer, Tensor>? Observer { get; set; }

    /// <summary>The layer on <paramref name="x"/> with the current quantizers (what the hooks compute).</summary>
    public Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var input = QuantizeActivations && ActivationQuantizer is not null ? ActivationQuantizer.Quantize(x, Training) : x;
        Tensor weight = QuantizeWeights && WeightQuantizer is not null ? WeightQuantizer.Quantize(Weight, Training) : Weight;
        var bias = Bias;
        Tensor y = Module switch
        {
            Linear => nn.functional.linear(input, weight, bias),
            ConvTranspose2d c => nn.functional.conv_transpose2d(input, weight, bias, c.stride, Padding(c), c.output_padding, c.dilation, c.groups),
            Convolution c => nn.functional.conv2d(input, weight, bias, c.stride, Padding(c), c.dilation, c.groups),
            _ => throw new InvalidOperationException($"{Name}: unsupported module {Module.GetType().Name}"),
        };
        return y.MoveToOuterDisposeScope();
    }

    internal Tensor? BeforeForward(Tensor x)
    {
        switch (Mode)
        {
            case LayerMode.Observe:
                Observer?.Invoke(this, x);
                return null;
            case LayerMode.Quantize:
                _pending = x;
                return Dummy(x);
            default:
                return null;
        }
    }

    internal Tensor? AfterForward()
    {
        if (_pending is null) return null;
        var x = _pending;
        _pending = null;
        return Apply(x);
    }

    /// <summary>The smallest input the module accepts: its real output is discarded, so it should cost nothing.</summary>
    private Tensor Dummy(Tensor x)
    {
        var w = Weight;
        return Module switch
        {
            Linear => zeros(new long[] { 1, w.shape[1] }, dtype: x.dtype, device: x.device),
            ConvTranspose2d => zeros(new long[] { 1, w.shape[0], 1, 1 }, dtype: x.dtype, device: x.device),
            Convolution c => zeros(new long[] { 1, c.in_channels, (c.dilation[0] * (c.kernel_size[0] - 1)) + 1, (c.dilation[1] * (c.kernel_size[1] - 1)) + 1 },
                dtype: x.dtype, device: x.device),
            _ => throw new InvalidOperationException($"{Name}: unsupported module {Module.GetType().Name}"),
        };
    }

    private long[] Padding(Convolution c) =>
        c.padding ?? throw new NotSupportedException($"{Name}: string padding modes are not supported by the quantizer");
}
