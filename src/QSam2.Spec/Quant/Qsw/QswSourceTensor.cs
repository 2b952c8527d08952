using QSam2.Spec.Model;

namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// One official state-dict tensor a segmenter needs, as input to <see cref="QswLayout.Build"/>:
/// its key and shape, and for the weight of a weight layer the layer's resolved quantization and
/// which axis holds the output channels (0 for Linear/Conv2d, 1 for ConvTranspose2d).
/// </summary>
public sealed record QswSourceTensor(string Key, EquatableArray<int> Shape, ResolvedLayerQuant? Quant = null, int OutputAxis = 0)
{
    /// <summary>The layer name (key without the trailing <c>.weight</c>).</summary>
    public string LayerName => Key.EndsWith(".weight", StringComparison.Ordinal) ? Key.Substring(0, Key.Length - ".weight".Length) : Key;

    public bool IsQuantized => Quant is { KeepFloat: false };
}
