namespace QSam2.Gpu.Device;

/// <summary>Which ILGPU accelerator a <see cref="GpuDevice"/> drives.</summary>
public enum GpuDeviceKind
{
    /// <summary>The first NVIDIA GPU (PTX kernels, dp4a and fma through inline PTX).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator (the same kernels, simulated with threads; for tests without a GPU).</summary>
    CpuSimulator,
}
