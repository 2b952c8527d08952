using QSam2.Training.Evaluation;
using QSam2.Training.Modeling;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>
/// The mIoU protocol of <c>qsam2 eval</c> (<see cref="SegmentationEvaluator"/>) applied to a model in whatever state
/// its quantization hooks are in, on a fixed image set: against labels, or label-free against a reference model.
/// </summary>
public sealed class MaskEvaluation
{
    private readonly IReadOnlyList<EvalImage> _images;
    private readonly IPromptSegmenter? _reference;

    public MaskEvaluation(IReadOnlyList<EvalImage> images, EvalPromptKind prompt, IPromptSegmenter? reference, string referenceName)
    {
        _images = images ?? throw new ArgumentNullException(nameof(images));
        if (images.Count == 0) throw new ArgumentException("no evaluation images");
        Prompt = prompt;
        _reference = reference;
        ReferenceName = referenceName;
    }

    public EvalPromptKind Prompt { get; }

    public string ReferenceName { get; }

    public int ImageCount => _images.Count;

    /// <summary>mIoU in points (0–100), the unit every quantization report and the experiment use.</summary>
    public double MIouPoints(Sam2Model model) => 100 * Evaluate(model).MIou;

    /// <summary>The evaluator's report (its mIoU is a fraction in [0, 1]).</summary>
    public EvalReport Evaluate(Sam2Model model)
    {
        // Not disposed: Sam2Segmenter.Dispose would dispose the model, which belongs to the caller.
        var segmenter = new Sam2Segmenter(model);
        return new SegmentationEvaluator().Evaluate(_images, segmenter, Prompt, _reference, ReferenceName);
    }
}
