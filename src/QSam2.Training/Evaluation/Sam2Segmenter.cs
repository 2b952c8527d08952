using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Model;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;
using QSam2.Training.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Evaluation;

/// <summary>
/// <see cref="IPromptSegmenter"/> over the float reference predictor (<see cref="Sam2ImagePredictor"/>): the image
/// is encoded once per call and the prompts are decoded in batches, with the predictor's own preprocessing,
/// output selection (multimask or single mask with the stability fallback) and upsampling to the original size.
/// </summary>
public sealed class Sam2Segmenter : IPromptSegmenter, IDisposable
{
    private readonly Sam2Model _model;
    private readonly Sam2ImagePredictor _predictor;

    public Sam2Segmenter(Sam2Model model, int promptBatch = 32)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        if (promptBatch < 1) throw new ArgumentOutOfRangeException(nameof(promptBatch), promptBatch, "prompt batch must be positive");
        PromptBatch = promptBatch;
        _predictor = new Sam2ImagePredictor(model);
    }

    /// <summary>Builds the model for <paramref name="spec"/> and strictly loads <paramref name="checkpointPath"/>.</summary>
    public static Sam2Segmenter Load(ArchSpec spec, string checkpointPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var weights = CheckpointReader.Read(checkpointPath);
        var model = new Sam2Model(spec);
        try
        {
            model.LoadStateDict(weights, checkpointPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new Sam2Segmenter(model);
    }

    public int PromptBatch { get; }

    public IReadOnlyList<MaskPrediction> Predict(RgbImage image, IReadOnlyList<PromptPoints> prompts, bool multimask)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(prompts);
        var results = new List<MaskPrediction>(prompts.Count);
        if (prompts.Count == 0) return results;
        using var gcPause = GcPause.Begin();
        _predictor.SetImage(image);
        try
        {
            // Prompts of one call share a kind, but batch only equal point counts to be safe.
            for (int start = 0; start < prompts.Count;)
            {
                int n = prompts[start].Count;
                bool box = prompts[start].HasBox;
                int end = start;
                while (end < prompts.Count && end - start < PromptBatch && prompts[end].Count == n && prompts[end].HasBox == box) end++;
                results.AddRange(PredictChunk(prompts, start, end, box, multimask));
                start = end;
            }
        }
        finally
        {
            _predictor.ResetPredictor();
        }
        return results;
    }

    private IEnumerable<MaskPrediction> PredictChunk(IReadOnlyList<PromptPoints> prompts, int start, int end, bool box, bool multimask)
    {
        int b = end - start;
        float[,]? boxes = null;
        float[,,]? points = null;
        int[,]? labels = null;
        if (box)
        {
            if (prompts[start].Count != 2) throw new ArgumentException("a box prompt is exactly its two corners (no extra clicks in evaluation)");
            boxes = new float[b, 4];
            for (int i = 0; i < b; i++)
                for (int k = 0; k < 4; k++) boxes[i, k] = prompts[start + i].Xy[k];
        }
        else
        {
            int n = prompts[start].Count;
            points = new float[b, n, 2];
            labels = new int[b, n];
            for (int i = 0; i < b; i++)
                for (int k = 0; k < n; k++)
                {
                    points[i, k, 0] = prompts[start + i].Xy[2 * k];
                    points[i, k, 1] = prompts[start + i].Xy[(2 * k) + 1];
                    labels[i, k] = prompts[start + i].Labels[k];
                }
        }
        using var prediction = _predictor.PredictBatch(boxes, points, labels, multimaskOutput: multimask);
        var iou = prediction.IouArray();
        int c = prediction.MaskCount, h = prediction.OriginalHeight, w = prediction.OriginalWidth;
        using var masks = prediction.Masks.to_type(ScalarType.Byte).cpu().contiguous();
        var bytes = masks.data<byte>().ToArray();
        var list = new List<MaskPrediction>(b);
        for (int i = 0; i < b; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (iou[(i * c) + j] > iou[(i * c) + best]) best = j;
            var data = bytes.AsSpan(((i * c) + best) * h * w, h * w).ToArray();
            list.Add(new MaskPrediction(new BinaryMask(w, h, data), iou[(i * c) + best]));
        }
        return list;
    }

    public void Dispose()
    {
        _predictor.Dispose();
        _model.Dispose();
    }
}
