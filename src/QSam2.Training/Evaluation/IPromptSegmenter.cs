using QSam2.Runtime.Imaging;
using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>One predicted mask at the original image size and the IoU the model predicted for it.</summary>
public sealed record MaskPrediction(BinaryMask Mask, double PredictedIou);

/// <summary>
/// Anything that segments an image from prompts: the float SAM2 model, a quantized model, or a test double.
/// The evaluator only needs this, so the same protocol measures every kind of model.
/// </summary>
public interface IPromptSegmenter
{
    /// <summary>
    /// One mask per prompt (prompts in original-image pixels). With <paramref name="multimask"/> the model proposes
    /// three candidates and the one with the highest predicted IoU is returned.
    /// </summary>
    IReadOnlyList<MaskPrediction> Predict(RgbImage image, IReadOnlyList<PromptPoints> prompts, bool multimask);
}
