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

    public static AdamW Create(Sam2Model model, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var trainable = TrainableParameters(model);
        var decay = trainable.Where(p => p.Parameter.dim() > 1).Select(p => p.Parameter).ToList();
        var noDecay = trainable.Where(p => p.Parameter.dim() <= 1).Select(p => p.Parameter).ToList();
        var groups = new[]
        {
            new AdamW.ParamGroup(decay, lr: options.LearningRate, weight_decay: options.WeightDecay),
            new AdamW.ParamGroup(noDecay, lr: options.LearningRate, weight_decay: 0),
        };
        return optim.AdamW(groups, lr: options.LearningRate, beta1: 0.9, beta2: 0.999, weight_decay: options.WeightDecay);
    }

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }
}
