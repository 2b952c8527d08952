namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Where a generated segmenter runs its image encoder. The GPU backends exist only in segmenters compiled in a project
/// that references <c>QSam2.Gpu</c> (ILGPU, JIT only); elsewhere, NativeAOT builds included, asking for them fails with
/// a message that says so.
/// </summary>
public enum Sam2Backend
{
    /// <summary>The SIMD kernels of QSam2.Runtime (default; AOT-safe).</summary>
    Cpu,

    /// <summary>The ILGPU kernels on an NVIDIA GPU (CUDA). Fails clearly when no CUDA device is present.</summary>
    Gpu,

    /// <summary>The same ILGPU kernels on ILGPU's CPU accelerator: slow, for testing the GPU path without a GPU.</summary>
    GpuSimulated,
}
