using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Gpu.Tests.Segmenters;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Tests.Shared;
using Xunit.Abstractions;

namespace QSam2.Gpu.Tests.EndToEnd;

/// <summary>
/// One end-to-end sam2_mini forward through the generated segmenter on each backend: the same <c>.qsw</c> loaded on the
/// SIMD path (<see cref="Sam2Backend.Cpu"/>) and on the GPU path (the generated ILGPU image encoder; on the CPU
/// accelerator unless QSAM2_GPU_TESTS=cuda). The image embeddings must agree closely and the masks of every prompt must
/// overlap with IoU ≥ 0.99. (Bit-level parity of the kernels, integer accumulators included, is tested per kernel.)
/// </summary>
[Trait("Category", "Cuda")]
public class Sam2MiniGpuTests
{
    private readonly ITestOutputHelper _output;

    public Sam2MiniGpuTests(ITestOutputHelper output) => _output = output;

    private Sam2Backend GpuBackend => TestDevice.Kind == Device.GpuDeviceKind.Cuda ? Sam2Backend.Gpu : Sam2Backend.GpuSimulated;

    private static RgbImage Image()
    {
        var fx = ReferenceFixture.A;
        var shape = fx.Shape("image.rgb");
        return new RgbImage(shape[1], shape[0], fx.Bytes("image.rgb"));
    }

    private static readonly Sam2Prompt[] s_prompts =
    {
        new() { PointCoords = new[] { 150f, 100f }, PointLabels = new[] { 1 }, MultimaskOutput = true },
        new() { PointCoords = new[] { 60f, 40f, 200f, 150f }, PointLabels = new[] { 1, 0 }, MultimaskOutput = false },
        new() { Box = new[] { 40f, 30f, 220f, 170f }, MultimaskOutput = false },
    };

    [Fact]
    public void W8A8_GpuPath_MatchesSimdPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"qsam2-gpu-test-{Environment.ProcessId}-w8a8.qsw");
        File.WriteAllBytes(path, SyntheticQsw.Create(MiniW8A8Segmenter.QswLayout, seed: 7));
        try
        {
            var cpu = MiniW8A8Segmenter.Load(path, Sam2Backend.Cpu);
            using var gpu = MiniW8A8Segmenter.Load(path, GpuBackend);
            Assert.Equal(GpuBackend, gpu.Backend);
            Compare(cpu, gpu);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Compare(Sam2SegmenterBase cpu, Sam2SegmenterBase gpu)
    {
        var image = Image();
        cpu.SetImage(image);
        var started = System.Diagnostics.Stopwatch.StartNew();
        gpu.SetImage(image);
        _output.WriteLine($"GPU-path image encoder: {started.Elapsed.TotalSeconds:F2} s on {TestDevice.Kind}");

        var expected = cpu.GetImageEmbedding();
        var actual = gpu.GetImageEmbedding();
        float scale = expected.Max(MathF.Abs), worst = 0f;
        double sumSq = 0, sumSqDiff = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            worst = MathF.Max(worst, d);
            sumSq += (double)expected[i] * expected[i];
            sumSqDiff += (double)d * d;
        }
        double relative = Math.Sqrt(sumSqDiff / sumSq);
        _output.WriteLine($"image embedding: max |diff| {worst:G3} (max |e| {scale:G3}), relative L2 {relative:G3}");
        Assert.True(scale > 0f && relative < 1e-3, $"image embedding differs: relative L2 {relative}, max |diff| {worst} of {scale}");

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
                Assert.True(iou >= 0.99, $"mask {m}: IoU {iou} between the SIMD and GPU paths is below 0.99");
            }
        }
    }
}
