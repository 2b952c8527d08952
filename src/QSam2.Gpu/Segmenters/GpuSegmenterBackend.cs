using ILGPU;
using QSam2.Gpu.Device;
using QSam2.Gpu.Memory;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Segmenters;

/// <summary>
/// What a generated segmenter holds when it runs on <see cref="Sam2Backend.Gpu"/> (or <see cref="Sam2Backend.GpuSimulated"/>):
/// the device, the device arena (same size and offsets as the CPU arena), the device copies of its weight layers and of
/// the load-time constants. The generated GPU image path uploads the preprocessed image, launches one kernel per step and
/// downloads the cached outputs (image embedding, high-res features) into the CPU arena, where the prompt encoder and
/// mask decoder (a few MMACs per prompt, latency bound) run as before.
/// </summary>
public sealed class GpuSegmenterBackend : IDisposable
{
    private readonly List<GpuLinearLayer> _layers = new();
    private readonly bool _ownsDevice;

    private GpuSegmenterBackend(GpuDevice device, long arenaBytes, string description, bool ownsDevice)
    {
        Device = device;
        _ownsDevice = ownsDevice;
        Description = description;
        Arena = new GpuArena(device, arenaBytes);
        Constants = new GpuConstants(device);
    }

    public GpuDevice Device { get; }
    public GpuArena Arena { get; }
    public GpuConstants Constants { get; }

    /// <summary>The segmenter's description, for messages.</summary>
    public string Description { get; }

    /// <summary>Weight layers loaded so far.</summary>
    public int LayerCount => _layers.Count;

    /// <summary>
    /// Opens (or reuses) the process-wide device for <paramref name="backend"/> and allocates the device arena. Fails with a message naming the
    /// segmenter under NativeAOT (<see cref="PlatformNotSupportedException"/>) and without a CUDA device
    /// (<see cref="GpuUnavailableException"/>).
    /// </summary>
    public static GpuSegmenterBackend Create(Sam2Backend backend, long arenaBytes, string description)
    {
        var kind = backend switch
        {
            Sam2Backend.Gpu => GpuDeviceKind.Cuda,
            Sam2Backend.GpuSimulated => GpuDeviceKind.CpuSimulator,
            _ => throw new ArgumentException($"{description}: {backend} is not a GPU backend", nameof(backend)),
        };
        if (!GpuSupport.IsSupported) throw new PlatformNotSupportedException($"{description}: {GpuSupport.NativeAotMessage}");
        GpuDevice device;
        try
        {
            device = GpuDevice.Shared(kind);
        }
        catch (GpuUnavailableException e)
        {
            throw new GpuUnavailableException($"{description}: {e.Message}", e);
        }
        return new GpuSegmenterBackend(device, arenaBytes, description, ownsDevice: false);
    }

    /// <summary>A backend on an existing device (shared, e.g. by tests; not disposed with the backend).</summary>
    public static GpuSegmenterBackend Create(GpuDevice device, long arenaBytes, string description)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new GpuSegmenterBackend(device, arenaBytes, description, ownsDevice: false);
    }

    /// <summary>Keeps <paramref name="layer"/> alive with the backend (disposed with it).</summary>
    public GpuLinearLayer Own(GpuLinearLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return layer;
    }

    /// <summary>Loads one weight layer onto the device (same arguments as <c>LinearLayer.Load</c>, minus the CPU kernel).</summary>
    public GpuLinearLayer LoadLayer(WeightSource w, string layer, WeightLayout layout, int[] shape, bool hasBias, bool quantized,
        int weightBits, int groupSize, int activationBits)
    {
        var l = GpuLinearLayer.Load(Device, w, layer, layout, shape, hasBias, quantized, weightBits, groupSize, activationBits);
        _layers.Add(l);
        return l;
    }

    /// <summary>Copies <paramref name="bytes"/> bytes at <paramref name="offset"/> from the CPU arena to the device arena.</summary>
    public void Upload(SegmenterArena host, long offset, int bytes)
    {
        ArgumentNullException.ThrowIfNull(host);
        Arena.Upload(offset, host.B(offset, bytes));
    }

    /// <summary>Waits for the device, then copies <paramref name="bytes"/> bytes at <paramref name="offset"/> back to the CPU arena.</summary>
    public void Download(SegmenterArena host, long offset, int bytes)
    {
        ArgumentNullException.ThrowIfNull(host);
        Device.Synchronize();
        Arena.Download(offset, host.B(offset, bytes));
    }

    /// <summary>Floats of the device arena.</summary>
    public ArrayView<float> F(long offset, long count) => Arena.F(offset, count);

    /// <summary>Bytes of the device arena.</summary>
    public ArrayView<byte> B(long offset, long count) => Arena.B(offset, count);

    /// <summary>The device copy of a load-time constant.</summary>
    public ArrayView<float> Constant(float[] values) => Constants.Get(values);

    public void Dispose()
    {
        foreach (var l in _layers) l.Dispose();
        _layers.Clear();
        Constants.Dispose();
        Arena.Dispose();
        if (_ownsDevice) Device.Dispose();
    }
}
