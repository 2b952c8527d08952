using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Qat;

/// <summary>The loss of one QAT step, as values for logging.</summary>
public readonly record struct QatLossValues(double Distill, double GroundTruth, LossValues GroundTruthTerms)
{
    public double Total(QatOptions o) => (o.DistillWeight * Distill) + (o.GroundTruthWeight * GroundTruth);
}

/// <summary>
/// One QAT batch: the quantized student and the float teacher encode the same images; per image up to
/// <see cref="QatOptions.ObjectsPerImage"/> objects get one shared kind of prompt (box or clicks, SAM2's sampling,
/// no correction rounds) and both decode them. Loss = distillation (MSE of the low-res mask logits + MSE of the IoU
/// predictions, student vs teacher) × <see cref="QatOptions.DistillWeight"/> + SAM2's ground-truth loss
/// (<see cref="MultiMaskLoss"/>, per object) × <see cref="QatOptions.GroundTruthWeight"/>.
/// </summary>
public sealed class QatBatchLoss
{
    private static readonly PromptPolicy s_prompts = new() { CorrectionProbability = 0 };
    private readonly Sam2Model _student;
    private readonly Sam2Model _teacher;
    private readonly QatOptions _options;

    public QatBatchLoss(Sam2Model student, Sam2Model teacher, QatOptions options)
    {
        _student = student ?? throw new ArgumentNullException(nameof(student));
        _teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Builds the graph inside the caller's dispose scope; returns the weighted total and its parts.</summary>
    public (Tensor Total, QatLossValues Values, int Objects) Compute(IReadOnlyList<TrainingImage> images, Random rng)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("a batch needs at least one image", nameof(images));
        int s = _student.Spec.ImageSize;
        var pixels = new float[images.Count * 3 * s * s];
        for (int i = 0; i < images.Count; i++) Array.Copy(images[i].Input, 0, pixels, i * 3 * s * s, 3 * s * s);
        var input = tensor(pixels, new long[] { images.Count, 3, s, s }, dtype: ScalarType.Float32);
        var student = _student.ForwardImage(input);
        ImageFeatures teacher;
        using (no_grad()) teacher = _teacher.ForwardImage(input);
        var studentPe = _student.PromptEncoder.GetDensePe();
        Tensor teacherPe;
        using (no_grad()) teacherPe = _teacher.PromptEncoder.GetDensePe();

        Tensor? distill = null;
        LossTerms? gt = null;
        int objects = 0;
        for (int i = 0; i < images.Count; i++)
        {
            var masks = Choose(images[i].Objects, _options.ObjectsPerImage, rng);
            if (masks.Count == 0) continue;
            var plan = s_prompts.Choose(rng);
            var prompts = masks.Select(m => s_prompts.Sample(plan, m, rng)).ToList();
            int k = masks.Count, n = plan.PointCount(0);
            var coords = new float[k * n * 2];
            var labels = new int[k * n];
            for (int o = 0; o < k; o++)
            {
                Array.Copy(prompts[o].Xy, 0, coords, o * n * 2, n * 2);
                Array.Copy(prompts[o].Labels, 0, labels, o * n, n);
            }
            var coordT = tensor(coords, new long[] { k, n, 2 }, dtype: ScalarType.Float32);
            var labelT = tensor(labels, new long[] { k, n }, dtype: ScalarType.Int32);
            bool multimask = n <= 1;

            var so = Decode(_student, student, studentPe, i, coordT, labelT, multimask, k);
            MaskDecoderOutput to;
            using (no_grad()) to = Decode(_teacher, teacher, teacherPe, i, coordT, labelT, multimask, k);
            var d = ((so.Masks - to.Masks).square().mean() + (so.IouPred - to.IouPred).square().mean()) * k;
            distill = distill is null ? d : distill + d;

            var targetBytes = new byte[k * s * s];
            for (int o = 0; o < k; o++) Array.Copy(masks[o].Data, 0, targetBytes, o * s * s, s * s);
            var targets = tensor(targetBytes, new long[] { k, s, s }, dtype: ScalarType.Byte).to_type(ScalarType.Float32);
            var upsampled = nn.functional.interpolate(so.Masks, new long[] { s, s }, mode: InterpolationMode.Bilinear, align_corners: false);
            var terms = MultiMaskLoss.Compute(upsampled, so.IouPred, so.ObjectScoreLogits, targets, LossWeights.Sam2);
            gt = gt is null ? terms : gt.Plus(terms);
            objects += k;
        }
        if (distill is null || gt is null) throw new ArgumentException("no image of the batch has an object to train on");
        var distillMean = distill / objects;
        var gtMean = gt.DividedBy(objects);
        var total = (distillMean * _options.DistillWeight) + (gtMean.Total * _options.GroundTruthWeight);
        var values = new QatLossValues(distillMean.item<float>(), gtMean.Total.item<float>(), gtMean.ToValues());
        return (total, values, objects);
    }

    private static MaskDecoderOutput Decode(Sam2Model model, ImageFeatures f, Tensor pe, int index, Tensor coords, Tensor labels, bool multimask, int k)
    {
        var (sparse, dense) = model.PromptEncoder.Forward(coords, labels, null);
        return model.MaskDecoder.Forward(f.ImageEmbed.narrow(0, index, 1), pe, sparse, dense, multimask, repeatImage: k > 1,
            f.HighRes0.narrow(0, index, 1), f.HighRes1.narrow(0, index, 1));
    }

    private static List<BinaryMask> Choose(IReadOnlyList<BinaryMask> objects, int max, Random rng)
    {
        var indices = Enumerable.Range(0, objects.Count).ToArray();
        int take = Math.Min(max, objects.Count);
        for (int i = 0; i < take && take < objects.Count; i++)
        {
            int j = i + rng.Next(indices.Length - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return indices.Take(take).Select(i => objects[i]).ToList();
    }
}
