using QSam2.Training.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>
/// AdamW over the image-path parameters, in two groups: weights with decay, and 1-D tensors (biases and
/// LayerNorm weights) without, as SAM2's configs exclude <c>*bias*</c> and LayerNorm from weight decay.
/// The video-only modules (memory attention/encoder, object pointers) get no gradient from image prompts, so
/// they are left out: their weights stay at initialisation and the optimizer state stays small.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>State-dict prefixes of the parameters the image path uses.</summary>
    public static readonly string[] ImagePathPrefixes = { "image_encoder.", "sam_prompt_encoder.", "sam_mask_decoder.", "no_mem_embed" };

    public static bool IsImagePath(string name) => ImagePathPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The trained parameters in a fixed order (the order optimizer state is saved in).</summary>
    public static IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters(Sam2Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.named_parameters().Where(p => p.parameter.requires_grad && IsImagePath(p.name)).ToList();
    }

    /// <summary>
    /// Four groups, in this order: image-encoder weights, image-encoder 1-D tensors, other weights, other 1-D tensors.
    /// The encoder groups run at <see cref="TrainOptions.EncoderLrScale"/> times the rate (SAM2 also trains its
    /// vision backbone at a lower rate than the heads); see <see cref="GroupLrScales"/>.
    /// </summary>
    public static AdamW Create(Sam2Model model, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trainable = TrainableParameters(model);
        List<Parameter> Select(bool encoder, bool matrix) => trainable
            .Where(p => p.Name.StartsWith("image_encoder.", StringComparison.Ordinal) == encoder && (p.Parameter.dim() > 1) == matrix)
            .Select(p => p.Parameter).ToList();
        var scales = GroupLrScales(options);
        var groups = new[]
        {
            new AdamW.ParamGroup(Select(true, true), lr: options.LearningRate * scales[0], weight_decay: options.WeightDecay),
            new AdamW.ParamGroup(Select(true, false), lr: options.LearningRate * scales[1], weight_decay: 0),
            new AdamW.ParamGroup(Select(false, true), lr: options.LearningRate * scales[2], weight_decay: options.WeightDecay),
            new AdamW.ParamGroup(Select(false, false), lr: options.LearningRate * scales[3], weight_decay: 0),
        };
        return optim.AdamW(groups, lr: options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay);
    }

    /// <summary>Learning-rate multiplier of each group created by <see cref="Create"/>.</summary>
    public static double[] GroupLrScales(TrainOptions options) =>
        new[] { options.EncoderLrScale, options.EncoderLrScale, 1.0, 1.0 };

    /// <summary>Sets every group to <paramref name="lr"/> times its multiplier.</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double lr, IReadOnlyList<double> scales)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(scales);
        int i = 0;
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr * (i < scales.Count ? scales[i++] : 1.0);
    }
}
