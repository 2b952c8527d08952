using ILGPU;
using ILGPU.Runtime;
using QSam2.Gpu.Device;

namespace QSam2.Gpu.Memory;

/// <summary>
/// Device copies of the load-time float arrays the generated steps pass by reference (norm weights, positional
/// embeddings, <c>no_mem_embed</c>): uploaded on first use and kept, keyed by array identity. The segmenter never
/// mutates these arrays after load, so identity is a sound key.
/// </summary>
public sealed class GpuConstants : IDisposable
{
    private readonly GpuDevice _device;
    private readonly Dictionary<float[], MemoryBuffer1D<float, Stride1D.Dense>> _buffers = new(ReferenceEqualityComparer.Instance);

    public GpuConstants(GpuDevice device) => _device = device ?? throw new ArgumentNullException(nameof(device));

    /// <summary>The device view of <paramref name="values"/>.</summary>
    public ArrayView<float> Get(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!_buffers.TryGetValue(values, out var buffer))
        {
            buffer = _device.Upload(values);
            _buffers[values] = buffer;
        }
        return buffer.View;
    }

    public int Count => _buffers.Count;

    public void Dispose()
    {
        foreach (var b in _buffers.Values) b.Dispose();
        _buffers.Clear();
    }
}
