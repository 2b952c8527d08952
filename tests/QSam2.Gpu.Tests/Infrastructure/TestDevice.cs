using QSam2.Gpu.Device;

namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>
/// The device every test uses: ILGPU's CPU accelerator by default (CI has no GPU), or the first CUDA GPU when
/// <c>QSAM2_GPU_TESTS=cuda</c> (bench/gpu/run.sh). One per test process; kernels compile once and are reused.
/// On the CPU accelerator the kernels are bit-exact against the scalar references; on a GPU the float comparisons
/// allow the device's own sqrt/reciprocal rounding (integer accumulators stay exact everywhere).
/// </summary>
public static class TestDevice
{
    public const string Variable = "QSAM2_GPU_TESTS";

    private static readonly Lazy<GpuDevice> s_device = new(() => GpuDevice.Create(Kind), LazyThreadSafetyMode.ExecutionAndPublication);

    public static GpuDeviceKind Kind =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "cuda", StringComparison.OrdinalIgnoreCase) ? GpuDeviceKind.Cuda : GpuDeviceKind.CpuSimulator;

    public static GpuDevice Device => s_device.Value;

    /// <summary>True when results must equal the scalar references bit for bit.</summary>
    public static bool Exact => Kind == GpuDeviceKind.CpuSimulator;
}
