using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Gpu.Tests.Segmenters;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using Xunit.Abstractions;

namespace QSam2.Gpu.Tests.EndToEnd;

/// <summary>
/// One end-to-end sam2_mini W8A8 forward through the generated segmenter on each backend: the same calibrated
/// <c>.qsw</c> loaded on the SIMD path (<see cref="Sam2Backend.Cpu"/>) and on the generated GPU path (ILGPU's CPU
/// accelerator via <see cref="Sam2Backend.GpuSimulated"/>, or the GPU when QSAM2_GPU_TESTS=cuda). On the CPU
/// accelerator the GPU path reproduces the SIMD path's arithmetic (integer accumulators, epilogues, and the AVX2
/// summation orders of LayerNorm and attention), so the image embedding and every mask must be identical; on a GPU
/// the embeddings must agree closely and masks overlap with IoU ≥ 0.99.
/// </summary>
[Trait("Category", "Cuda")]
public class Sam2MiniGpuTests
{
    private readonly ITestOutputHelper _output;

    public Sam2MiniGpuTests(ITestOutputHelper output) => _output = output;

    private static Sam2Backend GpuBackend => TestDevice.Kind == Device.GpuDeviceKind.Cuda ? Sam2Backend.Gpu : Sam2Backend.GpuSimulated;

    private static RgbImage Image() => SyntheticImage.Create(300, 200);

    private static readonly Sam2Prompt[] s_prompts =
    {
        new() { PointCoords = new[] { 150f, 100f }, PointLabels = new[] { 1 }, MultimaskOutput = true },
        new() { PointCoords = new[] { 60f, 40f, 200f, 150f }, PointLabels = new[] { 1, 0 }, MultimaskOutput = false },
        new() { Box = new[] { 40f, 30f, 220f, 170f }, MultimaskOutput = false },
    };

    [Fact]
    public void W8A8_GpuPath_MatchesSimdPath()
    {
        var image = Image();
        var qsw = CalibratedQsw.Create(MiniW8A8Segmenter.QswLayout, MiniFp32Segmenter.QswLayout, path => MiniFp32Segmenter.Load(path),
            image, s_prompts, weightBits: _ => 8, seed: 7);
        var path = Path.Combine(Path.GetTempPath(), $"qsam2-gpu-test-{Environment.ProcessId}-w8a8.qsw");
        File.WriteAllBytes(path, qsw);
        try
        {
            var cpu = MiniW8A8Segmenter.Load(path, Sam2Backend.Cpu);
            using var gpu = MiniW8A8Segmenter.Load(path, GpuBackend);
            Assert.Equal(Sam2Backend.Cpu, cpu.Backend);
            Assert.Equal(GpuBackend, gpu.Backend);
            Compare(cpu, gpu, image);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Compare(Sam2SegmenterBase cpu, Sam2SegmenterBase gpu, RgbImage image)
    {
        bool exact = GpuBackend == Sam2Backend.GpuSimulated && QSam2.Runtime.Kernels.KernelIsa.UseAvx2Fma;
        cpu.SetImage(image);
        var started = System.Diagnostics.Stopwatch.StartNew();
        gpu.SetImage(image);
        _output.WriteLine($"GPU-path image encoder ({GpuBackend}): {started.Elapsed.TotalSeconds:F2} s, first call (kernel compilation included)");

        var expected = cpu.GetImageEmbedding();
        var actual = gpu.GetImageEmbedding();
        double sumSq = 0, sumSqDiff = 0;
        int different = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = expected[i] - actual[i];
            sumSq += (double)expected[i] * expected[i];
            sumSqDiff += d * d;
            different += expected[i] == actual[i] ? 0 : 1;
        }
        double relative = Math.Sqrt(sumSqDiff / sumSq);
        _output.WriteLine($"image embedding: {different} of {expected.Length} values differ, relative L2 {relative:G3}");
        Assert.True(sumSq > 0, "the image embedding is all zeros");
        if (exact) Assert.True(different == 0, $"{different} image-embedding values differ from the SIMD path (relative L2 {relative})");
        else Assert.True(relative < 5e-2, $"image embedding differs from the SIMD path: relative L2 {relative}");

        foreach (var prompt in s_prompts)
        {
            var a = cpu.Predict(prompt);
            var b = gpu.Predict(prompt);
            Assert.Equal(a.Count, b.Count);
            for (int m = 0; m < a.Count; m++)
            {
                int plane = a.Height * a.Width, inter = 0, union = 0;
                for (int p = 0; p < plane; p++)
                {
                    bool x = a.Masks[m * plane + p] != 0, y = b.Masks[m * plane + p] != 0;
                    inter += x && y ? 1 : 0;
                    union += x || y ? 1 : 0;
                }
                double iou = union == 0 ? 1.0 : (double)inter / union;
                _output.WriteLine($"mask {m}: IoU {iou:F5} ({union} px in the union)");
                Assert.True(iou >= (exact ? 1.0 : 0.99), $"mask {m}: IoU {iou} between the SIMD and GPU paths is below {(exact ? 1.0 : 0.99)}");
            }
            if (exact) Assert.Equal(a.IouPredictions, b.IouPredictions);
        }
    }
}
