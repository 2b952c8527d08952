using QSam2.Gpu.Segmenters;

namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>
/// Lays test operands out in a device arena the way the generator does (64-byte aligned byte offsets), then runs the
/// GpuSam2Ops entry points against it: the tests exercise exactly the path generated segmenters call.
/// </summary>
public sealed class TestArena : IDisposable
{
    private readonly List<(long Offset, byte[] Bytes)> _uploads = new();
    private long _size;
    private GpuSegmenterBackend? _backend;

    public long Put(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Put(bytes);
    }

    public long Put(byte[] values)
    {
        long at = Reserve(values.Length);
        _uploads.Add((at, values));
        return at;
    }

    public long Reserve(long bytes)
    {
        if (_backend != null) throw new InvalidOperationException("arena already created");
        long at = _size;
        _size += (bytes + 63) / 64 * 64;
        return at;
    }

    /// <summary>Creates the device arena on the shared test device and uploads every operand.</summary>
    public GpuSegmenterBackend Backend
    {
        get
        {
            if (_backend is null)
            {
                _backend = GpuSegmenterBackend.Create(TestDevice.Device, Math.Max(_size, 64), "test arena");
                foreach (var (offset, bytes) in _uploads) _backend.Arena.Upload(offset, bytes);
            }
            return _backend;
        }
    }

    public float[] Floats(long offset, int count)
    {
        var bytes = Bytes(offset, 4 * count);
        var result = new float[count];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    public byte[] Bytes(long offset, int count)
    {
        Backend.Device.Synchronize();
        var result = new byte[count];
        Backend.Arena.Download(offset, result);
        return result;
    }

    public void Dispose() => _backend?.Dispose();
}
