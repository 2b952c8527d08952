using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Simulation;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

public sealed class SimulationTests : IDisposable
{
    private readonly TinyQuantSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    [Fact]
    public void EveryQuantizedLayerIsHooked_AndRunsOncePerPrediction()
    {
        using var model = _setup.LoadModel();
        var resolution = _setup.Resolve(TinyQuantSetup.Recipe(8, 8));
        using var sim = QuantSimulator.Attach(model, resolution);
        Assert.Equal(_setup.Targets.Count, sim.Layers.Count);
        var calls = sim.Layers.ToDictionary(l => l.Name, _ => 0);
        foreach (var l in sim.Layers) l.Observer = (layer, _) => calls[layer.Name]++;
        sim.SetMode(LayerMode.Observe);
        _setup.Outputs(model);
        foreach (var (name, count) in calls)
        {
            // The mask-prompt downscaling convs only run when a mask prompt is given.
            int expected = name.StartsWith("sam_prompt_encoder.mask_downscaling", StringComparison.Ordinal) ? 0 : 1;
            Assert.True(count == expected, $"{name} ran {count} times");
        }
    }

    [Fact]
    public void KeepFloatRule_LeavesLayerUnhooked()
    {
        using var model = _setup.LoadModel();
        var recipe = TinyQuantSetup.Recipe(4, 8, QuantMethod.Ptq,
            QuantRecipe.Rule("sam_mask_decoder.*", new QuantLayerConfig { KeepFloat = true }),
            QuantRecipe.Rule("sam_mask_decoder.iou_prediction_head.*", new QuantLayerConfig { KeepFloat = false, WeightBits = 8 }));
        using var sim = QuantSimulator.Attach(model, _setup.Resolve(recipe));
        Assert.False(sim.Contains("sam_mask_decoder.transformer.layers.0.mlp.layers.0"));
        Assert.True(sim.Contains("image_encoder.trunk.blocks.0.attn.qkv"));
        // Later rules override earlier ones field by field: the IoU head is quantized again, at 8-bit weights.
        Assert.Equal(8, sim["sam_mask_decoder.iou_prediction_head.layers.0"].Quant.WeightBits);
        Assert.Equal(4, sim["image_encoder.trunk.blocks.0.attn.qkv"].Quant.WeightBits);
    }

    [Fact]
    public void QuantizeMode_WithQuantizationSwitchedOff_EqualsTheFloatModel()
    {
        using var model = _setup.LoadModel();
        var expected = _setup.Outputs(model);
        using var sim = QuantSimulator.Attach(model, _setup.Resolve(TinyQuantSetup.Recipe(4, 4)));
        sim.SetMode(LayerMode.Quantize);
        foreach (var l in sim.Layers)
        {
            l.QuantizeWeights = false;
            l.QuantizeActivations = false;
        }
        var actual = _setup.Outputs(model);
        Assert.Equal(expected.Embedding, actual.Embedding);
        Assert.Equal(expected.Masks, actual.Masks);
    }

    private QuantSimulator Calibrated(QSam2.Training.Modeling.Sam2Model model, QuantRecipe recipe)
    {
        var sim = QuantSimulator.Attach(model, _setup.Resolve(recipe));
        var images = CalibrationImages.Load(_setup.Data, _setup.Spec.ImageSize);
        var stats = ActivationCalibration.Observe(sim, images, new[] { 0, 1, 2 }, 0);
        QuantizerSetup.Ptq(sim, stats, recipe.Calibration);
        sim.SetMode(LayerMode.Quantize);
        return sim;
    }

    [Theory]
    [InlineData(QuantGranularity.PerChannel, 0)]
    [InlineData(QuantGranularity.PerTensor, 0)]
    [InlineData(QuantGranularity.PerGroup, 8)]
    public void SimulatedWeights_EqualExportedCodesTimesScales(QuantGranularity granularity, int group)
    {
        using var model = _setup.LoadModel();
        // Per group only where the reduction size allows it (the trunk Linears); the rest per channel.
        var rules = granularity == QuantGranularity.PerGroup
            ? new[] { QuantRecipe.Rule("image_encoder.trunk.blocks.*", new QuantLayerConfig { Granularity = QuantGranularity.PerGroup, GroupSize = group }) }
            : Array.Empty<QuantLayerRule>();
        var recipe = TinyQuantSetup.Recipe(3, 8) with
        {
            Defaults = new QuantLayerConfig { WeightBits = 3, ActivationBits = 8, Granularity = granularity == QuantGranularity.PerGroup ? QuantGranularity.PerChannel : granularity },
            Rules = rules,
            Calibration = new CalibrationOptions { Weights = ClipMethod.Mse, Activations = ClipMethod.Percentile, ActivationPercentile = 99 },
        };
        using var sim = Calibrated(model, recipe);
        foreach (var layer in sim.Layers)
        {
            var e = QswExporter.ExportLayer(layer);
            using var simulated = layer.WeightQuantizer!.Quantize(layer.Weight, training: false);
            var sim32 = layer.Slicing.CanonicalValues(simulated);
            var w = e.Weights;
            for (int n = 0; n < w.N; n++)
                for (int k = 0; k < w.K; k++)
                {
                    float dq = w.Codes[(n * w.K) + k] * w.Scales[(n * w.Groups) + (k / w.GroupSize)];
                    Assert.True(dq == sim32[(n * w.K) + k], $"{layer.Name} [{n},{k}]: exported {dq}, simulated {sim32[(n * w.K) + k]}");
                }
        }
    }

    [Fact]
    public void W8A8_StaysCloseToFloat_W2A4_DoesNot()
    {
        using var reference = _setup.LoadModel();
        var (fe, fm) = _setup.Outputs(reference);
        double RelErr(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum() / b.Sum(y => (double)y * y));
        using (var m8 = _setup.LoadModel())
        using (var s8 = Calibrated(m8, TinyQuantSetup.Recipe(8, 8)))
        {
            var (e8, k8) = _setup.Outputs(m8);
            Assert.True(RelErr(e8, fe) < 0.05, $"W8A8 embedding error {RelErr(e8, fe):0.000}");
            Assert.True(RelErr(k8, fm) < 0.1, $"W8A8 mask logit error {RelErr(k8, fm):0.000}");
        }
        using var m2 = _setup.LoadModel();
        using var s2 = Calibrated(m2, TinyQuantSetup.Recipe(2, 4));
        var (e2, _) = _setup.Outputs(m2);
        Assert.True(RelErr(e2, fe) > 0.1, $"W2A4 embedding error only {RelErr(e2, fe):0.000}");
    }
}
