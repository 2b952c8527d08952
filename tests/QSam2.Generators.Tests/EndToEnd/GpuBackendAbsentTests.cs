using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Segmenters;
using QSam2.Tests.Shared;

namespace QSam2.Generators.Tests.EndToEnd;

/// <summary>
/// This project does not reference QSam2.Gpu (like a NativeAOT app), so its segmenters carry the backend option but
/// no GPU path: asking for one fails with a message that says why, and the CPU backend loads as before.
/// </summary>
public class GpuBackendAbsentTests
{
    [Theory]
    [InlineData(Sam2Backend.Gpu)]
    [InlineData(Sam2Backend.GpuSimulated)]
    public void GpuBackend_NotCompiledIn_FailsWithAClearMessage(Sam2Backend backend)
    {
        var e = Assert.Throws<NotSupportedException>(() => FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath, backend));
        Assert.Contains("QSam2.Gpu", e.Message);
        Assert.Contains("NativeAOT", e.Message);
        Assert.Contains("Sam2Backend.Cpu", e.Message);
    }

    [Fact]
    public void CpuBackend_Loads()
    {
        var s = FixtureASegmenter.Load(ReferenceFixture.A.CheckpointPath, Sam2Backend.Cpu);
        Assert.Equal(Sam2Backend.Cpu, s.Backend);
    }
}
