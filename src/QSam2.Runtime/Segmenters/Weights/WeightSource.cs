using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Where a generated segmenter's weights come from while it loads: a verified <c>.qsw</c> (any segmenter) or an
/// official SAM2 checkpoint (FP32 segmenters only). Every accessor checks the shape the segmenter was compiled for
/// and names the file and tensor when something does not fit.
/// </summary>
public abstract class WeightSource
{
    protected WeightSource(string source) => Source = source;

    /// <summary>File path or display name, for messages.</summary>
    public string Source { get; }

    /// <summary>A float32 tensor by official key, which must have exactly <paramref name="shape"/>.</summary>
    public abstract float[] Float(string key, int[] shape);

    /// <summary>True when the layer's weight is stored as codes (a quantized layer of a .qsw).</summary>
    public abstract bool IsQuantized(string layer);

    /// <summary>Codes and scales of a quantized layer's weight (<c>layer.weight</c>, <c>layer.weight_scale</c>).</summary>
    public abstract QuantizedTensor Quantized(string layer, int[] shape);

    /// <summary>Static input quantization of a quantized layer (<c>layer.input_scale</c>, <c>layer.input_zero_point</c>).</summary>
    public abstract ActivationQuantParams Activation(string layer, int bits);

    /// <summary>
    /// For a simulating source: the input quantization a float layer should fake-apply to reproduce the quantized
    /// export in float; null (the default) for real sources.
    /// </summary>
    public virtual ActivationQuantParams? SimulatedInputQuant(string layer) => null;

    /// <summary>
    /// Opens <paramref name="path"/>: a <c>.qsw</c> (recognised by its magic) is verified against
    /// <paramref name="layout"/> (structure hash, checksum, directory); otherwise, when
    /// <paramref name="allowCheckpoint"/>, it is read as an official checkpoint (.pt zip or safetensors).
    /// </summary>
    public static WeightSource Open(string path, QswLayout layout, bool allowCheckpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(layout);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: weights file not found", path);
        if (IsQsw(path))
        {
            using var stream = File.OpenRead(path);
            return FromQsw(stream, path, layout);
        }
        if (!allowCheckpoint)
        {
            throw new QswFormatException(path, "magic",
                $"not a .qsw file; '{layout.Description}' is a quantized segmenter and loads only .qsw exports of its structure");
        }
        return new StateDictWeightSource(CheckpointReader.Read(path), path);
    }

    /// <summary>Reads and verifies a <c>.qsw</c> stream against <paramref name="layout"/>.</summary>
    public static WeightSource FromQsw(Stream stream, string name, QswLayout layout)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new QswWeightSource(QswReader.Read(stream, name, layout));
    }

    /// <summary>Weights already in memory as a state dict (official key names).</summary>
    public static WeightSource FromStateDict(StateDict state, string name) => new StateDictWeightSource(state, name);

    private static bool IsQsw(string path)
    {
        using var f = File.OpenRead(path);
        var head = new byte[QswFormat.Magic.Length];
        int n = f.Read(head, 0, head.Length);
        return n == head.Length && head.AsSpan().SequenceEqual(QswFormat.Magic);
    }

    protected static string Shape(ReadOnlySpan<int> shape) => TensorData.FormatShape(shape);
}
