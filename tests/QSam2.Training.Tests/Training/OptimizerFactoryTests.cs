using QSam2.Training.Modeling;
using QSam2.Training.Training;

namespace QSam2.Training.Tests.Training;

public class OptimizerFactoryTests
{
    [Fact]
    public void TrainsTheImagePathOnlyWithoutDecayOnOneDimensionalTensorsAndScalesTheEncoderRate()
    {
        using var model = new Sam2Model(TinyTrainingSetup.Spec());
        var trainable = OptimizerFactory.TrainableParameters(model);
        Assert.All(trainable, p => Assert.True(OptimizerFactory.IsImagePath(p.Name), p.Name));
        Assert.Contains(trainable, p => p.Name == "no_mem_embed");
        Assert.Contains(trainable, p => p.Name.StartsWith("sam_mask_decoder.", StringComparison.Ordinal));
        Assert.DoesNotContain(trainable, p => p.Name.StartsWith("memory_attention.", StringComparison.Ordinal));

        var options = new TrainOptions { LearningRate = 1e-3, WeightDecay = 0.1, EncoderLrScale = 0.25 };
        using var optimizer = OptimizerFactory.Create(model, options);
        OptimizerFactory.SetLearningRate(optimizer, 2e-3, OptimizerFactory.GroupLrScales(options));
        var rates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        Assert.Equal(new[] { 5e-4, 5e-4, 2e-3, 2e-3 }, rates);

        var state = optimizer.state_dict();
        Assert.Equal(trainable.Count, state.State.Count);
        var decays = state.Options.Select(o => ((TorchSharp.Modules.AdamW.Options)o).weight_decay).ToArray();
        Assert.Equal(new double?[] { 0.1, 0, 0.1, 0 }, decays);
    }
}
