using QSam2.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>
/// The loss of one training batch, SAM2-style: the images are encoded in one pass; per image, up to
/// <see cref="TrainOptions.ObjectsPerImage"/> objects get prompts of one shared <see cref="PromptPlan"/> and are
/// decoded together (the image embedding repeated per object); optional correction steps add a click sampled from
/// the previous prediction's errors and feed its low-res logits back as the mask prompt (detached, as the click
/// sampling is not differentiable anyway). The loss of every step is summed and divided by the number of objects.
/// </summary>
/// <remarks>
/// Resolution: low-res logits (S/4) are upsampled bilinearly (align_corners=False) to
/// <see cref="TrainOptions.LossResolution"/> (default: the model input size S, as SAM2 compares its 1024² upsampled
/// masks, so the loss sees the pixels the predictor's output does) and compared with the ground truth
/// area-averaged to that size (exact 0/1 at S; soft boundary fractions below S). Multimask output is used when a step has at most one point
/// (SAM2's <c>multimask_min_pt_num=0, multimask_max_pt_num=1</c>); a box counts as two points.
/// </remarks>
public sealed class TrainingBatchLoss
{
    private readonly Sam2Model _model;
    private readonly TrainOptions _options;

    public TrainingBatchLoss(Sam2Model model, TrainOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Builds the graph for <paramref name="images"/>; call inside a dispose scope. Returns normalised terms and the object count.</summary>
    /// <param name="boxHintProbability">
    /// Probability that a box-prompted image also gets each box as a dense mask prompt at the first step (the
    /// <see cref="TrainOptions.BoxHintSteps"/> curriculum); 0 in SAM2's own recipe.
    /// </param>
    public (LossTerms Loss, int Objects) Compute(IReadOnlyList<TrainingImage> images, Random rng, LossWeights? weights = null, PromptPolicy? prompts = null,
        double boxHintProbability = 0)
    {
        weights ??= _options.Loss;
        prompts ??= _options.Prompts;
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("a batch needs at least one image", nameof(images));
        int s = _model.Spec.ImageSize;
        var device = _model.parameters().First().device;
        var pixels = new float[images.Count * 3 * s * s];
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i].Input.Length != 3 * s * s)
                throw new ArgumentException($"image {images[i].ImageId} input has {images[i].Input.Length} values, expected 3x{s}x{s}");
            Array.Copy(images[i].Input, 0, pixels, i * 3 * s * s, 3 * s * s);
        }
        var input = tensor(pixels, new long[] { images.Count, 3, s, s }, dtype: ScalarType.Float32, device: device);
        var features = _model.ForwardImage(input);
        var densePe = _model.PromptEncoder.GetDensePe();

        LossTerms? total = null;
        int objects = 0;
        for (int i = 0; i < images.Count; i++)
        {
            var chosen = ChooseObjects(images[i].Objects, _options.ObjectsPerImage, rng);
            if (chosen.Count == 0) continue;
            var plan = prompts.Choose(rng);
            var sampled = chosen.Select(m => prompts.Sample(plan, m, rng)).ToList();
            bool hint = plan.Box && boxHintProbability > 0 && rng.NextDouble() < boxHintProbability;
            var terms = ImageLoss(features, i, densePe, chosen, sampled, plan, prompts, rng, device, weights, hint);
            total = total is null ? terms : total.Plus(terms);
            objects += chosen.Count;
        }
        if (total is null || objects == 0) throw new ArgumentException("no image of the batch has an object to train on");
        return (total.DividedBy(objects), objects);
    }

    private LossTerms ImageLoss(ImageFeatures features, int index, Tensor densePe, IReadOnlyList<BinaryMask> masks,
        List<PromptPoints> prompts, PromptPlan plan, PromptPolicy policy, Random rng, Device device, LossWeights weights, bool boxHint)
    {
        int s = _model.Spec.ImageSize, k = masks.Count;
        var embed = features.ImageEmbed.narrow(0, index, 1);
        var hr0 = features.HighRes0.narrow(0, index, 1);
        var hr1 = features.HighRes1.narrow(0, index, 1);
        var targetBytes = new byte[k * s * s];
        for (int o = 0; o < k; o++) Array.Copy(masks[o].Data, 0, targetBytes, o * s * s, s * s);
        var targets = tensor(targetBytes, new long[] { k, s, s }, dtype: ScalarType.Byte, device: device).to_type(ScalarType.Float32);
        int r = _options.LossResolution ?? s;
        if (r != s)
        {
            // Fraction of object pixels in each loss pixel: a soft target that keeps sub-pixel boundary positions.
            targets = nn.functional.adaptive_avg_pool2d(targets.unsqueeze(1), new long[] { r, r }).squeeze(1);
        }

        LossTerms? total = null;
        Tensor? maskInput = boxHint ? BoxHint(prompts, 4 * _model.Spec.EmbeddingSize, s, device) : null;
        for (int step = 0; step <= plan.Corrections; step++)
        {
            int n = plan.PointCount(step);
            var coords = new float[k * n * 2];
            var labels = new int[k * n];
            for (int o = 0; o < k; o++)
            {
                Array.Copy(prompts[o].Xy, 0, coords, o * n * 2, n * 2);
                Array.Copy(prompts[o].Labels, 0, labels, o * n, n);
            }
            var coordT = tensor(coords, new long[] { k, n, 2 }, dtype: ScalarType.Float32, device: device);
            var labelT = tensor(labels, new long[] { k, n }, dtype: ScalarType.Int32, device: device);
            bool multimask = n <= 1;
            var (sparse, dense) = _model.PromptEncoder.Forward(coordT, labelT, maskInput);
            var output = _model.MaskDecoder.Forward(embed, densePe, sparse, dense, multimask, repeatImage: k > 1, hr0, hr1);
            var upsampled = output.Masks.shape[2] == r
                ? output.Masks
                : nn.functional.interpolate(output.Masks, new long[] { r, r }, mode: InterpolationMode.Bilinear, align_corners: false);
            var terms = MultiMaskLoss.Compute(upsampled, output.IouPred, output.ObjectScoreLogits, targets, weights);
            total = total is null ? terms : total.Plus(terms);

            if (step < plan.Corrections)
            {
                // The prediction a user would see: the candidate with the highest predicted IoU.
                var best = output.IouPred.detach().argmax(1, keepdim: true); // [k,1]
                long lowRes = output.Masks.shape[2];
                maskInput = output.Masks.detach().gather(1, best.view(k, 1, 1, 1).expand(k, 1, lowRes, lowRes));
                var bestUp = nn.functional.interpolate(maskInput, new long[] { s, s }, mode: InterpolationMode.Bilinear, align_corners: false);
                var predicted = bestUp.gt(0).to_type(ScalarType.Byte).cpu().contiguous().data<byte>().ToArray();
                for (int o = 0; o < k; o++)
                {
                    var pred = new BinaryMask(s, s, predicted.AsSpan(o * s * s, s * s).ToArray());
                    var (x, y, label) = policy.Correction(masks[o], pred, rng);
                    prompts[o] = prompts[o].Append(x, y, label);
                }
            }
        }
        return total!;
    }

    /// <summary>
    /// Each object's box as low-res mask-prompt logits <c>[k, 1, L, L]</c>: +<see cref="HintLogit"/> inside the box,
    /// −<see cref="HintLogit"/> outside. It tells the decoder where the box is through the dense path, so the encoder
    /// and the mask head learn before the sparse prompt path has learned to localize corners.
    /// </summary>
    private static Tensor BoxHint(List<PromptPoints> prompts, int lowRes, int inputSize, Device device)
    {
        var logits = new float[prompts.Count * lowRes * lowRes];
        float scale = (float)lowRes / inputSize;
        for (int o = 0; o < prompts.Count; o++)
        {
            var xy = prompts[o].Xy; // a box prompt starts with its two corners
            int x0 = Math.Clamp((int)MathF.Floor(xy[0] * scale), 0, lowRes - 1), y0 = Math.Clamp((int)MathF.Floor(xy[1] * scale), 0, lowRes - 1);
            int x1 = Math.Clamp((int)MathF.Ceiling(xy[2] * scale), x0 + 1, lowRes), y1 = Math.Clamp((int)MathF.Ceiling(xy[3] * scale), y0 + 1, lowRes);
            var plane = logits.AsSpan(o * lowRes * lowRes, lowRes * lowRes);
            plane.Fill(-HintLogit);
            for (int y = y0; y < y1; y++) plane.Slice(y * lowRes + x0, x1 - x0).Fill(HintLogit);
        }
        return tensor(logits, new long[] { prompts.Count, 1, lowRes, lowRes }, dtype: ScalarType.Float32, device: device);
    }

    private const float HintLogit = 8f;

    /// <summary>Up to <paramref name="max"/> objects, drawn without replacement (all of them, in order, when few).</summary>
    private static List<BinaryMask> ChooseObjects(IReadOnlyList<BinaryMask> objects, int max, Random rng)
    {
        var indices = Enumerable.Range(0, objects.Count).ToArray();
        int take = Math.Min(max, objects.Count);
        if (take < objects.Count)
        {
            for (int i = 0; i < take; i++)
            {
                int j = i + rng.Next(indices.Length - i);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }
        }
        return indices.Take(take).Select(i => objects[i]).ToList();
    }
}
