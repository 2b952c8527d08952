using QSam2.Gpu.Device;

namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>
/// The device the kernel tests use: ILGPU's CPU accelerator by default (CI has no GPU), or the first CUDA GPU when
/// <c>QSAM2_GPU_TESTS=cuda</c> (bench/gpu/run.sh). One per test process; kernels compile once and are reused.
/// On the CPU accelerator the kernels are bit-exact against the scalar references; on a GPU the float comparisons
/// allow the device's own sqrt/reciprocal rounding (integer accumulators stay exact everywhere).
/// </summary>
public static class TestDevice
{
    public const string Variable = "QSAM2_GPU_TESTS";

    // On the CPU accelerator: groups of 16 threads, so the GEMMs' cooperative tile loads and barriers really run
    // (the Sam2Backend.GpuSimulated device used end to end runs one-thread groups for speed).
    private static readonly Lazy<GpuDevice> s_device = new(
        () => Kind == GpuDeviceKind.Cuda ? GpuDevice.Shared(GpuDeviceKind.Cuda) : GpuDevice.CreateCpuSimulator(threadsPerWarp: 4, warpsPerGroup: 4, multiprocessors: 1),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public static GpuDeviceKind Kind =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "cuda", StringComparison.OrdinalIgnoreCase) ? GpuDeviceKind.Cuda : GpuDeviceKind.CpuSimulator;

    public static GpuDevice Device => s_device.Value;

    /// <summary>True when results must equal the scalar references bit for bit.</summary>
    public static bool Exact => Kind == GpuDeviceKind.CpuSimulator;

    /// <summary>
    /// True when the LayerNorm / softmax / attention kernels must equal the CPU path's dispatching kernels bit for bit:
    /// the device reproduces the AVX2 versions' summation order, so this holds on the CPU accelerator when the CPU path
    /// runs AVX2 (on a machine without it the CPU path sums in another order).
    /// </summary>
    public static bool ExactAgainstSimd => Exact && QSam2.Runtime.Kernels.KernelIsa.UseAvx2Fma;
}
