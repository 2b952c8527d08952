using BenchmarkDotNet.Attributes;
using QSam2.Spec.Arch;
using QSam2.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Bench;

/// <summary>
/// Baseline the generated segmenters race against: the TorchSharp FP32 image path of <c>sam2.1_hiera_t</c>
/// (Hiera trunk + FPN neck + conv_s0/conv_s1 + no_mem_embed, ≈146 GMAC) on one 1024² image with random weights.
/// Benchmark IDs (type, method, parameter names) must not change once results are recorded.
/// </summary>
[BenchmarkCategory("Baseline", "ImageEncoder")]
public class ImageEncoderBenchmarks
{
    private Sam2Model? _model;
    private Tensor? _input;

    /// <summary>Intra-op threads given to libtorch (<c>torch.set_num_threads</c>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        torch.manual_seed(0);
        var spec = ArchSpecReader.ReadFile(BenchPaths.ArchSpec("sam2.1_hiera_t"));
        _model = new Sam2Model(spec);
        _model.eval();
        _input = torch.randn(1, 3, spec.ImageSize, spec.ImageSize);
    }

    [Benchmark]
    public float TorchSharpFp32HieraT1024()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var features = _model!.ForwardImage(_input!);
        // Read one value so the forward cannot be skipped and the result is observable.
        return features.ImageEmbed[0, 0, 0, 0].item<float>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input?.Dispose();
        _model?.Dispose();
    }
}
