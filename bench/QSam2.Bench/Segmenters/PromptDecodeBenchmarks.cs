using BenchmarkDotNet.Attributes;
using QSam2.Runtime.Segmenters;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;
using TorchSharp;

namespace QSam2.Bench.Segmenters;

/// <summary>
/// One prompt decode of <c>sam2.1_hiera_t</c> on a cached image embedding: prompt encoder + mask decoder + selection +
/// bilinear upsampling of the low-res logits to the 1024×1024 image and thresholding (what <c>Predict</c> costs after
/// <c>SetImage</c>). Prompt: a box over the middle half, one mask (as <c>sam2seg bench</c>). Generated segmenters
/// against the TorchSharp <see cref="Sam2ImagePredictor"/>, same weights, 1 and 2 threads.
/// Benchmark IDs must not change once results are recorded.
/// </summary>
[BenchmarkCategory("Segmenters", "PromptDecode")]
[Config(typeof(SegmenterBenchConfig))]
public class PromptDecodeBenchmarks
{
    private Sam2Model? _model;
    private Sam2ImagePredictor? _predictor;
    private Sam2SegmenterBase? _segmenter;
    private Sam2Prompt _prompt = HieraTBenchModel.BoxPrompt;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Target = nameof(TorchSharpFp32))]
    public void SetupTorch()
    {
        torch.set_num_threads(Threads);
        _model = HieraTBenchModel.NewTorchModel();
        _predictor = new Sam2ImagePredictor(_model);
        _predictor.SetImage(HieraTBenchModel.Image);
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
        _segmenter.SetImage(HieraTBenchModel.Image);
        _prompt = HieraTBenchModel.BoxPrompt;
    }

    [Benchmark(Baseline = true)]
    public int TorchSharpFp32()
    {
        var box = _prompt.Box!;
        using var noGrad = torch.no_grad();
        using var p = _predictor!.Predict(box: box, multimaskOutput: false);
        return (int)p.Masks.shape[0];
    }

    [Benchmark]
    public int GeneratedFp32() => Decode();

    [Benchmark]
    public int GeneratedW8A8() => Decode();

    [Benchmark]
    public int GeneratedW4A8() => Decode();

    [Benchmark]
    public int GeneratedW2A8() => Decode();

    private int Decode() => _segmenter!.Predict(_prompt).Count;

    [GlobalCleanup]
    public void Cleanup()
    {
        _predictor?.Dispose();
        _model?.Dispose();
        _predictor = null;
        _model = null;
        _segmenter = null;
        Sam2Threads.Max = Environment.ProcessorCount;
    }
}
