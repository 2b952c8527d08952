using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Segmenters;

/// <summary>Float weights from an official SAM2 checkpoint (or any state dict with official keys).</summary>
public sealed class StateDictWeightSource : WeightSource
{
    private readonly StateDict _state;

    public StateDictWeightSource(StateDict state, string source)
        : base(source) => _state = state ?? throw new ArgumentNullException(nameof(state));

    public override float[] Float(string key, int[] shape)
    {
        if (!_state.TryGetValue(key, out var t))
            throw new CheckpointFormatException(Source, $"missing tensor '{key}' {Shape(shape)} (is this a checkpoint of the segmenter's architecture?)");
        if (!t.HasShape(shape))
            throw new CheckpointFormatException(Source, $"tensor '{key}' has shape {Shape(t.ShapeSpan)}, the segmenter was compiled for {Shape(shape)}");
        return t.Data;
    }

    public override bool IsQuantized(string layer) => false;

    public override QuantizedTensor Quantized(string layer, int[] shape) =>
        throw new CheckpointFormatException(Source, $"layer '{layer}' is quantized in this segmenter; a float checkpoint cannot supply its codes (load the .qsw export)");

    public override ActivationQuantParams Activation(string layer, int bits) =>
        throw new CheckpointFormatException(Source, $"layer '{layer}' is quantized in this segmenter; a float checkpoint has no activation scales (load the .qsw export)");
}
