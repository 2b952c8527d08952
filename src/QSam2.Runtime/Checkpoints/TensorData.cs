namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// One float32 tensor of a state dict: its shape and its elements in row-major (C) order.
/// Name-free on purpose: the name lives in the <see cref="StateDict"/> that holds it.
/// </summary>
/// <remarks>
/// <see cref="Data"/> is handed out without copying because checkpoints reach hundreds of MB;
/// callers treat it as read-only unless they built the tensor themselves.
/// </remarks>
public sealed class TensorData
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) with a copy of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">A negative dimension, or a shape whose element count differs from <c>data.Length</c>.</exception>
    public TensorData(ReadOnlySpan<int> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0) throw new ArgumentException($"dimension {i} of shape {FormatShape(shape)} is negative", nameof(shape));
            count *= shape[i];
            if (count > int.MaxValue) throw new ArgumentException($"shape {FormatShape(shape)} has more than {int.MaxValue} elements", nameof(shape));
        }
        if (count != data.Length)
            throw new ArgumentException($"shape {FormatShape(shape)} holds {count} elements but data has {data.Length}", nameof(data));
        _shape = shape.ToArray();
        Data = data;
    }

    /// <summary>Convenience overload for literal shapes: <c>new TensorData([2, 3], data)</c>.</summary>
    public TensorData(int[] shape, float[] data) : this((ReadOnlySpan<int>)(shape ?? throw new ArgumentNullException(nameof(shape))), data) { }

    /// <summary>A tensor of the given shape filled with zeros.</summary>
    public static TensorData Zeros(params int[] shape)
    {
        long count = 1;
        foreach (var d in shape) count *= Math.Max(d, 0);
        return new TensorData(shape, new float[count]);
    }

    /// <summary>The dimensions (a copy: mutating it does not change the tensor).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The dimensions without copying.</summary>
    public ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>The dimensions as <see cref="long"/>, the form TorchSharp and most tensor APIs take.</summary>
    public long[] LongShape => Array.ConvertAll(_shape, d => (long)d);

    /// <summary>Elements in row-major order.</summary>
    public float[] Data { get; }

    public int Rank => _shape.Length;

    public long ElementCount => Data.Length;

    /// <summary>True when this tensor has exactly the dimensions <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>Formats a shape the way PyTorch error messages do: <c>[24, 3, 7, 7]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    public override string ToString() => $"float32 {FormatShape(_shape)}";
}
