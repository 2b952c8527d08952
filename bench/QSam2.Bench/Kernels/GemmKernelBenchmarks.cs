using BenchmarkDotNet.Attributes;

namespace QSam2.Bench.Kernels;

/// <summary>
/// The runtime's GEMM kernels on the biggest Hiera-T trunk shapes at 1024² (M tokens × K × N):
/// stage-3 qkv (4096×384×1152), stage-3 mlp.layers.1 (4096×1536×384), stage-2 qkv (16384×192×576) and
/// stage-1 mlp.layers.0 (65536×96×384). Single thread, dispatching entry points (AVX2 on Zen3); weight panels are
/// decoded once when packed (QuantWeightPanels.Pack, AVX2 machines), as the segmenters load them. IDs (type, method, parameter names and values) must not change once
/// results are recorded; add new values instead.
/// </summary>
[BenchmarkCategory("Kernels", "Gemm")]
[Config(typeof(KernelBenchConfig))]
public class GemmKernelBenchmarks
{
    private GemmKernelCase? _case;

    [Params("F32", "W8A8", "W4A8", "W3A8", "W2A8", "W4A4", "W4A8g32")]
    public string Format { get; set; } = "W4A8";

    [Params("4096x384x1152", "4096x1536x384", "16384x192x576", "65536x96x384")]
    public string Shape { get; set; } = "4096x384x1152";

    [GlobalSetup]
    public void Setup()
    {
        var (m, k, n) = GemmKernelCase.ParseShape(Shape);
        _case = new GemmKernelCase(Format, m, k, n);
    }

    [Benchmark]
    public float Gemm() => _case!.Run();
}
