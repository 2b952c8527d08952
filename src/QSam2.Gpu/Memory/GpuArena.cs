using ILGPU;
using ILGPU.Runtime;
using QSam2.Gpu.Device;

namespace QSam2.Gpu.Memory;

/// <summary>
/// The device twin of <c>SegmenterArena</c>: one device allocation of the size the generator planned, with every
/// activation buffer at the same compile-time byte offset as on the CPU, so the GPU path reuses the arena plan
/// unchanged and allocates nothing during inference. Typed views are sub-views at byte offsets.
/// </summary>
public sealed class GpuArena : IDisposable
{
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _buffer;
    private readonly ArrayView<byte> _view;

    public GpuArena(GpuDevice device, long bytes)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "arena size must be >= 0");
        Length = bytes;
        // Rounded up to whole floats and at least one element (ILGPU rejects empty buffers).
        _buffer = device.Accelerator.Allocate1D<byte>(Math.Max(4, (bytes + 3) / 4 * 4));
        _view = _buffer.View.AsContiguous();
    }

    public long Length { get; }

    /// <summary><paramref name="count"/> floats at byte <paramref name="offset"/> (4-byte aligned).</summary>
    public ArrayView<float> F(long offset, long count)
    {
        Check(offset, 4 * count);
        if (offset % 4 != 0) throw new ArgumentException($"float view at byte offset {offset} is not 4-byte aligned", nameof(offset));
        return count == 0 ? default : _view.SubView(offset, 4 * count).Cast<float>();
    }

    /// <summary><paramref name="count"/> bytes at byte <paramref name="offset"/>.</summary>
    public ArrayView<byte> B(long offset, long count)
    {
        Check(offset, count);
        return count == 0 ? default : _view.SubView(offset, count);
    }

    /// <summary>Copies host bytes into the arena at <paramref name="offset"/>.</summary>
    public void Upload(long offset, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty) return;
        Check(offset, source.Length);
        _view.SubView(offset, source.Length).CopyFromCPU(source);
    }

    /// <summary>Copies arena bytes at <paramref name="offset"/> to the host.</summary>
    public void Download(long offset, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        Check(offset, destination.Length);
        _view.SubView(offset, destination.Length).CopyToCPU(destination);
    }

    public void Dispose() => _buffer.Dispose();

    private void Check(long offset, long bytes)
    {
        if (offset < 0 || bytes < 0 || offset + bytes > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"device arena view [{offset}, {offset + bytes}) outside the {Length}-byte arena");
    }
}
