using System.Diagnostics;
using QSam2.Runtime.Imaging;
using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>
/// <c>qsam2 eval</c>: prompts every reference object of every image with a deterministic prompt
/// (<see cref="EvalPrompts"/>) and scores the model's mask by IoU at the original image size — against the
/// labels, or, with a reference model, against that model's mask for the same prompt. Images without labels
/// (only meaningful with a reference model) get pseudo-objects: the reference model's masks for a grid of clicks.
/// </summary>
public sealed class SegmentationEvaluator
{
    /// <summary>Clicks per side of the grid that finds pseudo-objects on unlabelled images.</summary>
    public int PseudoObjectGrid { get; init; } = 4;

    /// <summary>Pseudo-objects overlapping an earlier one by more than this IoU are dropped as duplicates.</summary>
    public double PseudoObjectDuplicateIou { get; init; } = 0.8;

    /// <param name="reference">Another model to compare against (null: compare against labels).</param>
    /// <param name="referenceName">How the report names the reference (e.g. its checkpoint path).</param>
    /// <param name="progress">Called with (images done, images total).</param>
    public EvalReport Evaluate(IReadOnlyList<EvalImage> images, IPromptSegmenter model, EvalPromptKind kind,
        IPromptSegmenter? reference = null, string referenceName = "labels", Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(model);
        var watch = Stopwatch.StartNew();
        var instances = new List<InstanceResult>();
        int evaluatedImages = 0;
        bool multimask = kind.UsesMultimask();
        for (int n = 0; n < images.Count; n++)
        {
            var entry = images[n];
            var rgb = ImageCodec.Load(entry.Path);
            var objects = entry.LoadObjects();
            if (objects.Count == 0 && reference is not null) objects = PseudoObjects(rgb, reference);
            if (objects.Count > 0)
            {
                foreach (var o in objects)
                {
                    if (o.Mask.Width != rgb.Width || o.Mask.Height != rgb.Height)
                        throw new InvalidDataException($"{entry.Path}: object {o.Id} mask is {o.Mask.Width}x{o.Mask.Height} but the image is {rgb.Width}x{rgb.Height}");
                }
                var prompts = objects.Select(o => EvalPrompts.For(kind, o.Mask)!).ToList();
                var predictions = model.Predict(rgb, prompts, multimask);
                var targets = reference?.Predict(rgb, prompts, multimask).Select(p => p.Mask).ToList()
                    ?? objects.Select(o => o.Mask).ToList();
                if (predictions.Count != objects.Count || targets.Count != objects.Count)
                    throw new InvalidOperationException($"segmenter returned {predictions.Count} masks for {objects.Count} prompts");
                for (int i = 0; i < objects.Count; i++)
                {
                    instances.Add(new InstanceResult(entry.Id, objects[i].Id, objects[i].Category, objects[i].Mask.Area(),
                        MaskIou.Compute(predictions[i].Mask, targets[i]), predictions[i].PredictedIou));
                }
                evaluatedImages++;
            }
            progress?.Invoke(n + 1, images.Count);
        }
        return EvalReport.FromInstances(kind.Name(), referenceName, evaluatedImages, instances, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Objects of an unlabelled image as the reference model sees them: its best mask for each click of a
    /// <see cref="PseudoObjectGrid"/>² grid, without empty masks and near-duplicates.
    /// </summary>
    public IReadOnlyList<EvalObject> PseudoObjects(RgbImage image, IPromptSegmenter reference)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(reference);
        int g = PseudoObjectGrid;
        var clicks = new List<PromptPoints>();
        for (int j = 0; j < g; j++)
            for (int i = 0; i < g; i++)
            {
                float x = (float)Math.Floor((i + 0.5) / g * image.Width), y = (float)Math.Floor((j + 0.5) / g * image.Height);
                clicks.Add(new PromptPoints(new[] { x, y }, new[] { PointLabels.Positive }));
            }
        var kept = new List<EvalObject>();
        foreach (var p in reference.Predict(image, clicks, multimask: true))
        {
            if (p.Mask.Bounds() is null) continue;
            if (kept.Any(k => MaskIou.Compute(k.Mask, p.Mask) > PseudoObjectDuplicateIou)) continue;
            kept.Add(new EvalObject(kept.Count, "unlabelled", p.Mask));
        }
        return kept;
    }
}
