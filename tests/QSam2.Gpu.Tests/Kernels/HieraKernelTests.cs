using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Segmenters;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>
/// The device glue steps (windowing, pooling, FPN add, adds with constants) against the CPU <c>Sam2Ops</c> on the same
/// data: pure data movement and single additions, so the results must be identical on any device.
/// </summary>
[Trait("Category", "Cuda")]
public class HieraKernelTests
{
    /// <summary>Runs the same step on a CPU arena and a device arena holding the same input at offset 0.</summary>
    private static void Same(float[] input, long outputFloats, Action<SegmenterArena, long> cpuStep, Action<GpuSegmenterBackend, long> gpuStep)
    {
        long inBytes = (4L * input.Length + 63) / 64 * 64;
        var cpu = new SegmenterArena(inBytes + 4 * outputFloats);
        input.CopyTo(cpu.F(0, input.Length));
        cpuStep(cpu, inBytes);
        // Compare the input region (steps may write in place) and the output region, not the alignment gap between.
        var expectedIn = cpu.F(0, input.Length).ToArray();
        var expectedOut = cpu.F(inBytes, (int)outputFloats).ToArray();

        using var arena = new TestArena();
        arena.Put(input);
        arena.Reserve(4 * outputFloats);
        gpuStep(arena.Backend, inBytes);
        Compare.Close(expectedIn, arena.Floats(0, input.Length), "step (input region)", 0f);
        Compare.Close(expectedOut, arena.Floats(inBytes, (int)outputFloats), "step (output region)", 0f);
    }

    [Fact]
    public void WindowPartition_PadsLikeTheCpu()
    {
        const int h = 7, w = 10, c = 3, win = 4;
        var x = Data.Floats(new Random(1), h * w * c);
        Same(x, 8 * 12 * c,
            (a, o) => Sam2Ops.WindowPartition(a, 0, h, w, c, win, o),
            (g, o) => GpuSam2Ops.WindowPartition(g, 0, h, w, c, win, o));
    }

    [Fact]
    public void WindowUnpartitionAdd_CropsAndAddsLikeTheCpu()
    {
        const int h = 7, w = 10, c = 3, win = 4;
        var r = new Random(2);
        var x = Data.Floats(r, 8 * 12 * c).Concat(new float[(64 - 8 * 12 * c * 4 % 64) % 64 / 4]).Concat(Data.Floats(r, h * w * c)).ToArray();
        long residual = 4L * 8 * 12 * c;
        residual = (residual + 63) / 64 * 64;
        Same(x, h * w * c,
            (a, o) => Sam2Ops.WindowUnpartitionAdd(a, 0, win, h, w, c, residual, o),
            (g, o) => GpuSam2Ops.WindowUnpartitionAdd(g, 0, win, h, w, c, residual, o));
    }

    [Fact]
    public void MaxPool2x2_FloorsOddSizes()
    {
        const int h = 9, w = 6, c = 5;
        var x = Data.Floats(new Random(3), h * w * c);
        Same(x, 4 * 3 * c,
            (a, o) => Sam2Ops.MaxPool2x2(a, 0, h, w, c, o),
            (g, o) => GpuSam2Ops.MaxPool2x2(g, 0, h, w, c, o));
    }

    [Fact]
    public void NearestUp2Add_AddsTheCoarseLevel()
    {
        const int h = 3, w = 5, c = 4;
        var r = new Random(4);
        var coarse = Data.Floats(r, h * w * c);
        var fine = Data.Floats(r, 4 * h * w * c);
        var x = coarse.Concat(new float[(16 - coarse.Length % 16) % 16]).Concat(fine).ToArray();
        long fineAt = (4L * coarse.Length + 63) / 64 * 64;
        Same(x, 0,
            (a, _) => Sam2Ops.NearestUp2Add(a, 0, h, w, c, fineAt),
            (g, _) => GpuSam2Ops.NearestUp2Add(g, 0, h, w, c, fineAt));
    }

    [Fact]
    public void ConstantsAndScale_MatchTheCpu()
    {
        const int rows = 6, c = 7, n = rows * c;
        var r = new Random(5);
        var x = Data.Floats(r, n);
        var values = Data.Floats(r, n);
        var vector = Data.Floats(r, c);
        Same(x, 3 * n,
            (a, o) =>
            {
                Sam2Ops.AddParameterTo(a, 0, values, o, n);
                Sam2Ops.AddRowVector(a, 0, vector, rows, c, o + 4 * n);
                Sam2Ops.Copy(a, 0, o + 8 * n, n);
                Sam2Ops.Scale(a, o + 8 * n, n, 0.5f);
                Sam2Ops.AddParameter(a, 0, values, n);
            },
            (g, o) =>
            {
                GpuSam2Ops.AddParameterTo(g, 0, values, o, n);
                GpuSam2Ops.AddRowVector(g, 0, vector, rows, c, o + 4 * n);
                GpuSam2Ops.Copy(g, 0, o + 8 * n, n);
                GpuSam2Ops.Scale(g, o + 8 * n, n, 0.5f);
                GpuSam2Ops.AddParameter(g, 0, values, n);
            });
    }
}
