using System.Runtime.CompilerServices;

namespace QSam2.Gpu.Device;

/// <summary>Whether this process can run ILGPU at all, with the message shown when it cannot.</summary>
public static class GpuSupport
{
    /// <summary>
    /// ILGPU compiles kernels at run time with Reflection.Emit, so the GPU backend needs the JIT. NativeAOT has none:
    /// there the backend is excluded with <see cref="NativeAotMessage"/> instead of failing deep inside ILGPU.
    /// </summary>
    public static bool IsSupported => RuntimeFeature.IsDynamicCodeSupported;

    public const string NativeAotMessage =
        "the GPU backend is not available in a NativeAOT build: ILGPU compiles its kernels at run time (Reflection.Emit), "
        + "which NativeAOT does not support. Use Sam2Backend.Cpu here, or run the JIT build of the application for the GPU.";

    /// <summary>Throws <see cref="PlatformNotSupportedException"/> with <see cref="NativeAotMessage"/> under NativeAOT.</summary>
    public static void EnsureSupported()
    {
        if (!IsSupported) throw new PlatformNotSupportedException(NativeAotMessage);
    }
}
