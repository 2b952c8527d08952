using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Simulation;
using QSam2.Training.Quantization.Vrc;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

public sealed class VrcCalibratorTests : IDisposable
{
    private readonly TinyQuantSetup _setup = new(images: 4);

    public void Dispose() => _setup.Dispose();

    [Fact]
    public void SelectsEveryTrunkLinear()
    {
        using var model = _setup.LoadModel();
        var layers = VrcCalibrator.SelectLayers(model, _setup.Targets, new VrcOptions());
        // 5 blocks × (qkv, proj, mlp.0, mlp.1) + a width-changing proj in the first block of stages 2–4.
        Assert.Equal((5 * 4) + 3, layers.Count);
        Assert.All(layers, l => Assert.StartsWith("image_encoder.trunk.blocks.", l));
    }

    [Fact]
    public void ReportedOutputChange_EqualsTheMeasuredOne_AndWeightsShrink()
    {
        using var model = _setup.LoadModel();
        const string name = "image_encoder.trunk.blocks.1.mlp.layers.1";
        var linear = (Linear)LayerModules.ByName(model)[name];
        var inputs = new List<Tensor>();
        var hook = linear.register_forward_pre_hook((_, x) => { inputs.Add(x.detach().clone().DetachFromDisposeScope()); return null!; });
        var images = CalibrationImages.Load(_setup.Data, _setup.Spec.ImageSize);
        var indices = new[] { 0, 1, 2 };
        foreach (var i in indices) ImageRunner.Run(model, images.Input(i), withDecoder: false);
        hook.remove();
        var x = cat(inputs.Select(t => t.reshape(-1, t.shape[^1])).ToArray(), 0);
        Tensor Out() { using var g = no_grad(); return nn.functional.linear(x, linear.weight!, linear.bias).detach().clone(); }
        var before = Out();

        var options = new VrcOptions { Enabled = true, Lambda = 0.05 };
        var reports = VrcCalibrator.Run(model, VrcCalibrator.SelectLayers(model, _setup.Targets, options), images, indices, options);
        var after = Out();
        var r = reports.Single(r => r.Layer == name);
        double measured = (after - before).square().sum().item<float>() / before.square().sum().item<float>();
        Assert.Equal(measured, r.OutputRelativeChange, 4);
        Assert.True(r.OutputRelativeChange > 0);
        // Bias correction: the mean output over the calibration rows is unchanged.
        Assert.True((after.mean(new long[] { 0 }) - before.mean(new long[] { 0 })).abs().max().item<float>() < 1e-4);
        Assert.All(reports, l => Assert.True(l.FrobeniusAfter <= l.FrobeniusBefore + 1e-9, $"{l.Layer}: norm grew"));
        Assert.Equal(x.shape[0], r.Rows);
    }

    [Fact]
    public void LambdaZero_KeepsEveryLayerOutputOnTheCalibrationData()
    {
        using var model = _setup.LoadModel();
        var options = new VrcOptions { Enabled = true, Lambda = 0 };
        var reports = VrcCalibrator.Run(model, VrcCalibrator.SelectLayers(model, _setup.Targets, options),
            CalibrationImages.Load(_setup.Data, _setup.Spec.ImageSize), new[] { 0, 1 }, options);
        Assert.All(reports, r => Assert.True(r.OutputRelativeChange < 1e-9, $"{r.Layer}: output changed by {r.OutputRelativeChange}"));
    }
}
