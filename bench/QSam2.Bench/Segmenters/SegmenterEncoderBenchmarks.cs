using BenchmarkDotNet.Attributes;
using QSam2.Runtime.Segmenters;
using QSam2.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// Image encoder of <c>sam2.1_hiera_t</c> at 1024², generated segmenters (FP32, W8A8, W4A8, W2A8) against the
/// TorchSharp FP32 model, all on the same random weights and the same preprocessed input, at 1 and 2 threads, in one
/// BenchmarkDotNet run so the Ratio column compares runs made side by side. Each pass is the full image path:
/// Hiera trunk + FPN neck + conv_s0/conv_s1 + no_mem_embed (≈146 GMAC).
/// Benchmark IDs (type, method, parameter names) must not change once results are recorded.
/// </summary>
[BenchmarkCategory("Segmenters", "ImageEncoder")]
[Config(typeof(SegmenterBenchConfig))]
public class SegmenterEncoderBenchmarks
{
    private Sam2Model? _model;
    private Tensor? _input;
    private Sam2SegmenterBase? _segmenter;

    /// <summary>Threads for both sides: <c>torch.set_num_threads</c> and <see cref="Sam2Threads.Max"/>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(TorchSharpFp32))]
    public void SetupTorch()
    {
        torch.set_num_threads(Threads);
        _model = HieraTBenchModel.NewTorchModel();
        int s = HieraTBenchModel.Spec.ImageSize;
        _input = torch.tensor(HieraTBenchModel.Input, new long[] { 1, 3, s, s });
    }

    [GlobalSetup(Target = nameof(GeneratedFp32))]
    public void SetupFp32() => Setup("Fp32");

    [GlobalSetup(Target = nameof(GeneratedW8A8))]
    public void SetupW8A8() => Setup("W8A8");

    [GlobalSetup(Target = nameof(GeneratedW4A8))]
    public void SetupW4A8() => Setup("W4A8");

    [GlobalSetup(Target = nameof(GeneratedW2A8))]
    public void SetupW2A8() => Setup("W2A8");

    private void Setup(string precision)
    {
        Sam2Threads.Max = Threads;
        _segmenter = HieraTBenchModel.Load(precision);
    }

    [Benchmark(Baseline = true)]
    public float TorchSharpFp32()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var features = _model!.ForwardImage(_input!);
        return features.ImageEmbed[0, 0, 0, 0].item<float>();
    }

    [Benchmark]
    public float GeneratedFp32() => Encode();

    [Benchmark]
    public float GeneratedW8A8() => Encode();

    [Benchmark]
    public float GeneratedW4A8() => Encode();

    [Benchmark]
    public float GeneratedW2A8() => Encode();

    private float Encode()
    {
        ((IPreprocessedEncoder)_segmenter!).EncodePreprocessed(HieraTBenchModel.Input);
        return 0f;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input?.Dispose();
        _model?.Dispose();
        _input = null;
        _model = null;
        _segmenter = null;
        Sam2Threads.Max = Environment.ProcessorCount;
    }
}
