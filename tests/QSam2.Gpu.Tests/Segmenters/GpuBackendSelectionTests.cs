using QSam2.Gpu.Device;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Segmenters;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Tests.Segmenters;

/// <summary>Choosing a backend: clear failures instead of crashes when the requested device or runtime is missing.</summary>
[Trait("Category", "Cuda")]
public class GpuBackendSelectionTests
{
    /// <summary>Sam2Backend.Gpu needs CUDA: on a machine without it the error names the segmenter and the way out.</summary>
    [Fact]
    public void Gpu_WithoutCuda_FailsWithAClearMessage()
    {
        GpuSegmenterBackend? backend = null;
        try
        {
            backend = GpuSegmenterBackend.Create(Sam2Backend.Gpu, 1024, "sam2_mini W8A8");
            Assert.Equal(GpuDeviceKind.Cuda, backend.Device.Kind); // a GPU machine: it simply works
        }
        catch (GpuUnavailableException e)
        {
            Assert.StartsWith("sam2_mini W8A8: ", e.Message);
            Assert.Contains("CUDA", e.Message);
            Assert.Contains("GpuSimulated", e.Message);
        }
        finally
        {
            backend?.Dispose();
        }
    }

    [Fact]
    public void Cpu_IsNotAGpuBackend()
    {
        var e = Assert.Throws<ArgumentException>(() => GpuSegmenterBackend.Create(Sam2Backend.Cpu, 1024, "sam2_mini W8A8"));
        Assert.Contains("sam2_mini W8A8", e.Message);
    }

    /// <summary>Segmenters on one device share it (and its compiled kernels); disposing a segmenter leaves it usable.</summary>
    [Fact]
    public void SimulatedBackends_ShareOneDevice()
    {
        using (var a = GpuSegmenterBackend.Create(Sam2Backend.GpuSimulated, 1024, "a"))
        using (var b = GpuSegmenterBackend.Create(Sam2Backend.GpuSimulated, 2048, "b"))
        {
            Assert.Same(a.Device, b.Device);
            Assert.Equal(GpuDeviceKind.CpuSimulator, a.Device.Kind);
        }
        using var c = GpuSegmenterBackend.Create(Sam2Backend.GpuSimulated, 64, "c");
        c.Arena.Upload(0, new byte[] { 1, 2, 3 });
        var back = new byte[3];
        c.Arena.Download(0, back);
        Assert.Equal(new byte[] { 1, 2, 3 }, back);
    }

    [Fact]
    public void ArenaViews_OutsideThePlan_FailClearly()
    {
        using var g = GpuSegmenterBackend.Create(Sam2Backend.GpuSimulated, 256, "sam2_mini W8A8");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => g.F(200, 32));
        Assert.Contains("256-byte arena", e.Message);
        Assert.Throws<ArgumentException>(() => g.F(2, 4));
    }

    /// <summary>A weights file whose layer is float where the segmenter was compiled quantized is refused by name.</summary>
    [Fact]
    public void FloatWeightsForAQuantizedLayer_AreRefusedByName()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qsam2-gpu-test-{Environment.ProcessId}-fp32-for-w8.qsw");
        File.WriteAllBytes(path, EndToEnd.SyntheticQsw.Create(MiniFp32Segmenter.QswLayout, seed: 1));
        try
        {
            // The .qsw of another structure is refused before any device work (structure hash).
            var e = Assert.ThrowsAny<Exception>(() => MiniW8A8Segmenter.Load(path, Sam2Backend.GpuSimulated));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
