using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using QSam2.Gpu.Kernels;

namespace QSam2.Gpu.Device;

/// <summary>
/// One ILGPU context and accelerator with the project's intrinsics registered (<see cref="DeviceIntrinsics"/>), and a
/// cache of loaded kernels: each kernel method (each generic instantiation, i.e. each layer shape) is compiled on first
/// use and reused afterwards. Kernels launch on the accelerator's default stream, in order.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    /// <summary>
    /// The CPU accelerator behind <see cref="GpuDeviceKind.CpuSimulator"/>: groups of up to two threads (so the GEMMs run
    /// one-thread groups) on two simulated multiprocessors, sequential within a group. ILGPU's CPU accelerator pays for
    /// every group and barrier with OS-thread hand-offs; this is the fastest shape for whole-model runs. Tests of the
    /// cooperative code paths use <see cref="CreateCpuSimulator"/> with larger groups.
    /// </summary>
    private static readonly CPUDevice s_simulator = new(numThreadsPerWarp: 2, numWarpsPerMultiprocessor: 1, numMultiprocessors: 2);

    private static readonly Lazy<GpuDevice>[] s_shared =
    {
        new(() => Create(GpuDeviceKind.Cuda, shared: true), LazyThreadSafetyMode.ExecutionAndPublication),
        new(() => Create(GpuDeviceKind.CpuSimulator, shared: true), LazyThreadSafetyMode.ExecutionAndPublication),
    };

    private readonly Context _context;
    private readonly Dictionary<MethodInfo, Delegate> _kernels = new();
    private readonly bool _shared;

    private GpuDevice(Context context, Accelerator accelerator, GpuDeviceKind kind, bool shared)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
        _shared = shared;
    }

    public Accelerator Accelerator { get; }

    public GpuDeviceKind Kind { get; }

    /// <summary>E.g. <c>NVIDIA H200</c> or <c>CPUAccelerator</c>.</summary>
    public string Name => Accelerator.Name;

    public int MaxThreadsPerGroup => Accelerator.MaxNumThreadsPerGroup;

    /// <summary>
    /// The process-wide device of <paramref name="kind"/>, created on first use and kept (ILGPU contexts are expensive and
    /// every segmenter on the device shares its compiled kernels). <see cref="Dispose"/> on it does nothing.
    /// </summary>
    public static GpuDevice Shared(GpuDeviceKind kind)
    {
        GpuSupport.EnsureSupported();
        // Lazy<T> also caches a failure: a machine without CUDA reports the same clear error on every request.
        return s_shared[kind == GpuDeviceKind.Cuda ? 0 : 1].Value;
    }

    /// <summary>
    /// Opens the first device of <paramref name="kind"/> (a private instance; prefer <see cref="Shared"/>). Throws
    /// <see cref="PlatformNotSupportedException"/> under NativeAOT and <see cref="GpuUnavailableException"/> when there is
    /// no CUDA device.
    /// </summary>
    public static GpuDevice Create(GpuDeviceKind kind) => Create(kind, shared: false);

    /// <summary>
    /// A private CPU-accelerator device with groups of <paramref name="threadsPerWarp"/> × <paramref name="warpsPerGroup"/>
    /// threads (for tests of the cooperative shared-memory code paths, which one-thread groups do not exercise).
    /// </summary>
    public static GpuDevice CreateCpuSimulator(int threadsPerWarp, int warpsPerGroup, int multiprocessors)
    {
        GpuSupport.EnsureSupported();
        var device = new CPUDevice(threadsPerWarp, warpsPerGroup, multiprocessors);
        var context = Context.Create(builder =>
        {
            builder.Math(MathMode.Default);
            DeviceIntrinsics.Register(builder);
            builder.CPU(device);
        });
        try
        {
            return new GpuDevice(context, device.CreateCPUAccelerator(context), GpuDeviceKind.CpuSimulator, shared: false);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static GpuDevice Create(GpuDeviceKind kind, bool shared)
    {
        GpuSupport.EnsureSupported();
        Context context;
        try
        {
            context = Context.Create(builder =>
            {
                builder.Math(MathMode.Default);
                DeviceIntrinsics.Register(builder);
                if (kind == GpuDeviceKind.Cuda) builder.Cuda();
                else builder.CPU(s_simulator);
            });
        }
        catch (Exception e) when (kind == GpuDeviceKind.Cuda && e is not OutOfMemoryException)
        {
            throw new GpuUnavailableException($"no usable CUDA device: ILGPU could not initialise CUDA ({e.Message})", e);
        }

        try
        {
            if (kind == GpuDeviceKind.Cuda)
            {
                var devices = context.GetCudaDevices();
                if (devices.Count == 0)
                    throw new GpuUnavailableException("no CUDA device found (no NVIDIA GPU, or no driver); use Sam2Backend.Cpu, or Sam2Backend.GpuSimulated to run the GPU kernels on the CPU for testing");
                return new GpuDevice(context, devices[0].CreateAccelerator(context), kind, shared);
            }
            return new GpuDevice(context, s_simulator.CreateCPUAccelerator(context, CPUAcceleratorMode.Sequential), kind, shared);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>An explicitly grouped kernel taking one argument struct.</summary>
    public Action<KernelConfig, T> Grouped<T>(Action<T> kernel)
        where T : struct =>
        Cached(kernel.Method, () => Accelerator.LoadStreamKernel(kernel));

    /// <summary>A one-thread-per-index kernel.</summary>
    public Action<Index1D, T1> Auto<T1>(Action<Index1D, T1> kernel)
        where T1 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2> Auto<T1, T2>(Action<Index1D, T1, T2> kernel)
        where T1 : struct where T2 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2, T3> Auto<T1, T2, T3>(Action<Index1D, T1, T2, T3> kernel)
        where T1 : struct where T2 : struct where T3 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2, T3, T4> Auto<T1, T2, T3, T4>(Action<Index1D, T1, T2, T3, T4> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2, T3, T4, T5> Auto<T1, T2, T3, T4, T5>(Action<Index1D, T1, T2, T3, T4, T5> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2, T3, T4, T5, T6> Auto<T1, T2, T3, T4, T5, T6>(Action<Index1D, T1, T2, T3, T4, T5, T6> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    public Action<Index1D, T1, T2, T3, T4, T5, T6, T7> Auto<T1, T2, T3, T4, T5, T6, T7>(Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct =>
        Cached(kernel.Method, () => Accelerator.LoadAutoGroupedStreamKernel(kernel));

    /// <summary>Waits for every launched kernel and copy.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    /// <summary>Device memory for <paramref name="values"/>, copied now.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Upload<T>(T[] values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        // A zero-length buffer is not allowed; one element stands in (never read: its shape flag says "absent").
        return values.Length == 0 ? Accelerator.Allocate1D<T>(1) : Accelerator.Allocate1D(values);
    }

    /// <summary>Releases the accelerator and context (not for <see cref="Shared"/> devices, which live with the process).</summary>
    public void Dispose()
    {
        if (_shared) return;
        Accelerator.Dispose();
        _context.Dispose();
    }

    private TDelegate Cached<TDelegate>(MethodInfo method, Func<TDelegate> load)
        where TDelegate : Delegate
    {
        lock (_kernels)
        {
            if (!_kernels.TryGetValue(method, out var d))
            {
                d = load();
                _kernels[method] = d;
            }
            return (TDelegate)d;
        }
    }
}
