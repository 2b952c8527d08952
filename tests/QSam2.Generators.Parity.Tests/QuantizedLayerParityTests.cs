using QSam2.Runtime.Imaging;
using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Arch;
using QSam2.Spec.Quant.Qsw;
using QSam2.Training.Inference;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Quantization.Simulation;
using QSam2.Tests.Shared;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace QSam2.Generators.Parity.Tests;

/// <summary>
/// Layer by layer, with the same inputs on both sides ("teacher forcing"): every quantized Linear of the shipped
/// sam2_mini exports receives, in the generated segmenter's integer kernel, exactly the float input TorchSharp's
/// fake-quant simulation gave that layer while segmenting an image. TorchSharp computes the activation codes
/// <c>clamp(round(x/s) + zp, 0, 255)</c> and the integer accumulators <c>(q_a − zp)·q_wᵀ</c> (float64, exact at these
/// ranges) from the <c>.qsw</c> codes; the C# quantizer must produce the same codes and the kernel the output the
/// numerics contract derives from those accumulators (docs/quantization.md §5), bit for bit.
/// <para>End to end the two implementations cannot agree bit for bit (float summation order differs), and
/// <see cref="QuantizedParityTests"/> explains what that does to the masks; this test is where the integer path is
/// held to exact equality against an implementation it shares no arithmetic code with.</para>
/// </summary>
public sealed class QuantizedLayerParityTests
{
    private readonly ITestOutputHelper _output;

    public QuantizedLayerParityTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("w8a8")]
    [InlineData("w4a8")]
    public void EveryQuantizedLinear_AccumulatorsAndOutputsEqualTorchSharp(string bits)
    {
        string root = ReferenceFixture.RepoRoot();
        string specPath = Path.Combine(root, "models", "sam2_mini", $"sam2_mini.{bits}.quant.json");
        string qswPath = Path.Combine(root, "models", "sam2_mini", $"sam2_mini.{bits}.qsw");
        var arch = ArchSpecReader.ReadFile(Path.Combine(root, "specs", "arch", "sam2_mini.arch.json"));
        var file = QswReader.Read(File.ReadAllBytes(qswPath), qswPath);
        Sam2SegmenterBase generated = bits == "w8a8" ? MiniW8A8Segmenter.Load(qswPath) : MiniW4A8Segmenter.Load(qswPath);

        using var simulated = QuantizedModelLoader.Load(arch, specPath);
        var captures = new Dictionary<string, InputCapture>(StringComparer.Ordinal);
        foreach (var layer in simulated.Simulator.Layers)
        {
            if (layer.Module is not Linear || layer.ActivationQuantizer is null) continue;
            var capture = new InputCapture(layer.ActivationQuantizer);
            layer.ActivationQuantizer = capture;
            captures[layer.Name] = capture;
        }
        using (var predictor = new Sam2ImagePredictor(simulated.Model))
        {
            predictor.SetImage(ImageCodec.Load(Path.Combine(root, "samples", "shapes.png")));
            using var _ = predictor.Predict(null, null, new float[] { 154, 63, 216, 124 }, null, multimaskOutput: true);
        }

        int layers = 0;
        long outputs = 0;
        foreach (var layer in generated.Layers.Where(l => l.Quantized && captures.ContainsKey(l.Name)))
        {
            var x = captures[layer.Name].Input ?? throw new InvalidOperationException($"{layer.Name}: TorchSharp never ran this layer");
            int m = (int)(x.numel() / layer.K);
            var p = layer.InputQuant;

            // TorchSharp: codes in float32 as the contract orders the operations, accumulators exactly in float64.
            using var scope = NewDisposeScope();
            var codesT = x.div(tensor(p.Scale)).round().add(p.ZeroPoint).clamp(0, (1 << p.Bits) - 1);
            var weight = tensor(file.WeightCodes(layer.Name + ".weight").Select(v => (double)v).ToArray(), new long[] { layer.N, layer.K });
            var acc = codesT.to_type(ScalarType.Float64).sub(p.ZeroPoint).matmul(weight.t()).contiguous().data<double>().ToArray();
            var torchCodes = codesT.to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();

            var input = x.contiguous().data<float>().ToArray();
            var codes = new byte[input.Length];
            ActivationQuantKernels.Quantize(input, codes, p);
            for (int i = 0; i < codes.Length; i++)
                if (codes[i] != torchCodes[i])
                    Assert.Fail($"{bits} {layer.Name} input {i} = {input[i]:R}: C# code {codes[i]}, TorchSharp code {torchCodes[i]}");

            var actual = new float[m * layer.N];
            var scratch = new byte[QuantGemm.ScratchBytes(layer.Panels!, m)];
            layer.Kernel!(codes, layer.K, m, p, layer.Panels!, new GemmEpilogue { Bias = layer.Bias }, GemmOutput.Float(actual, layer.N), scratch);

            var scales = file.Float32(layer.Name + ".weight_scale");
            for (int r = 0; r < m; r++)
            {
                for (int n = 0; n < layer.N; n++)
                {
                    double a = acc[r * layer.N + n];
                    Assert.True(a == Math.Round(a), $"{layer.Name}: accumulator {a} is not an exact integer");
                    // Per-channel (the shipped configs): one group, F = acc·s_w, y = fma(F, s_a, bias).
                    float f = MathF.FusedMultiplyAdd((float)a, scales.Length == 1 ? scales[0] : scales[n], 0f);
                    float expected = MathF.FusedMultiplyAdd(f, p.Scale, layer.Bias.Length == 0 ? 0f : layer.Bias[n]);
                    if (actual[r * layer.N + n] != expected)
                        Assert.Fail($"{bits} {layer.Name} row {r} column {n}: kernel {actual[r * layer.N + n]:R}, from TorchSharp's accumulator {a} → {expected:R}");
                }
            }
            layers++;
            outputs += actual.Length;
        }
        _output.WriteLine($"{bits}: {layers} quantized Linear layers, {outputs} outputs equal to TorchSharp's accumulators");
        Assert.True(layers >= 60, $"{bits}: only {layers} layers compared");
    }

    /// <summary>Keeps the first input TorchSharp hands a layer's activation quantizer, then quantizes as before.</summary>
    private sealed class InputCapture : IActivationFakeQuantizer
    {
        private readonly IActivationFakeQuantizer _inner;

        public InputCapture(IActivationFakeQuantizer inner) => _inner = inner;

        public Tensor? Input { get; private set; }

        public string Kind => _inner.Kind;

        public IReadOnlyList<Parameter> LearnedParameters => _inner.LearnedParameters;

        public IReadOnlyDictionary<string, Tensor> State => _inner.State;

        public Tensor Quantize(Tensor x, bool training)
        {
            if (Input is null)
            {
                Input = x.detach().to_type(ScalarType.Float32).contiguous().clone();
                Input.DetachFromDisposeScope();
            }
            return _inner.Quantize(x, training);
        }

        public ActivationQuantParams Export() => _inner.Export();
    }
}
