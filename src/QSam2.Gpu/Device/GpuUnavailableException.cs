namespace QSam2.Gpu.Device;

/// <summary>The requested accelerator does not exist on this machine (e.g. no CUDA device or driver).</summary>
public sealed class GpuUnavailableException : Exception
{
    public GpuUnavailableException(string message)
        : base(message)
    {
    }

    public GpuUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
