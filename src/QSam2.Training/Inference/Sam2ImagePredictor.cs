using QSam2.Runtime.Imaging;
using QSam2.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Inference;

/// <summary>
/// TorchSharp port of sam2's <c>SAM2ImagePredictor</c> (sam2-architecture.md §3, §8, §13.2): encode an image
/// once with <see cref="SetImage"/>, then prompt it any number of times with points, boxes and/or a low-res mask.
/// This is the float reference the quantized segmenters are measured against, so it follows the official code
/// step for step: antialiased S×S resize without keeping the aspect ratio, coordinates scaled per axis, box
/// corners before clicks, the decoder's multimask / stability selection, direct bilinear upsampling of the
/// low-res logits to the original size, threshold at <see cref="MaskThreshold"/>, low-res logits clamped to ±32.
/// Hole filling / sprinkle removal (off by default in sam2) is not implemented.
/// </summary>
public sealed class Sam2ImagePredictor : IDisposable
{
    private ImageFeatures? _features;
    private Tensor? _densePe;

    /// <param name="model">A loaded model; it is switched to eval mode.</param>
    /// <param name="maskThreshold">Logit threshold for binary masks (sam2's <c>mask_threshold</c>, default 0).</param>
    public Sam2ImagePredictor(Sam2Model model, float maskThreshold = 0f)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        MaskThreshold = maskThreshold;
        model.eval();
    }

    public Sam2Model Model { get; }

    public float MaskThreshold { get; }

    /// <summary>Side of the square model input (S).</summary>
    public int ImageSize => Model.Spec.ImageSize;

    /// <summary>Side of the low-res mask logits (4e = S/4).</summary>
    public int LowResSize => 4 * Model.Spec.EmbeddingSize;

    public bool IsImageSet => _features is not null;

    /// <summary>Original height (H0) of the image set last.</summary>
    public int OriginalHeight { get; private set; }

    /// <summary>Original width (W0) of the image set last.</summary>
    public int OriginalWidth { get; private set; }

    /// <summary>The encoder features of the current image (read-only view for tests and tools).</summary>
    public ImageFeatures Features => _features ?? throw NotSet();

    /// <summary>Preprocesses and encodes <paramref name="image"/>, replacing any previous image.</summary>
    public void SetImage(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ResetPredictor();
        var input = Sam2Preprocessing.ToModelInput(image, ImageSize);
        using var noGrad = no_grad();
        using var x = tensor(input, new long[] { 1, 3, ImageSize, ImageSize }, dtype: ScalarType.Float32, device: ModelDevice());
        _features = Model.ForwardImage(x);
        _densePe = Model.PromptEncoder.GetDensePe();
        OriginalHeight = image.Height;
        OriginalWidth = image.Width;
    }

    /// <summary>The image embedding <c>[1,C,e,e]</c> (neck stride-16 level + no_mem_embed), as sam2 returns it.</summary>
    public Tensor GetImageEmbedding() => Features.ImageEmbed.alias();

    /// <summary>Forgets the current image and frees its features.</summary>
    public void ResetPredictor()
    {
        _features?.Dispose();
        _features = null;
        _densePe?.Dispose();
        _densePe = null;
        OriginalHeight = OriginalWidth = 0;
    }

    /// <summary>
    /// One prompt set: clicks <paramref name="pointCoords"/> <c>[N,2]</c> (x, y in original pixels) with
    /// <paramref name="pointLabels"/> <c>[N]</c> (1 foreground, 0 background), an optional XYXY
    /// <paramref name="box"/>, and an optional low-res <paramref name="maskInput"/> <c>[1,4e,4e]</c> (a previous
    /// <see cref="Sam2Prediction.LowResLogits"/> entry). Returns masks <c>[C,H0,W0]</c>, IoU <c>[C]</c> and
    /// low-res logits <c>[C,4e,4e]</c>.
    /// </summary>
    public Sam2Prediction Predict(float[,]? pointCoords = null, int[]? pointLabels = null, float[]? box = null, Tensor? maskInput = null,
        bool multimaskOutput = true, bool returnLogits = false)
    {
        float[,]? boxes = null;
        if (box is not null)
        {
            if (box.Length != 4) throw new PromptValidationException($"a box needs 4 values (x0, y0, x1, y1), got {box.Length}");
            boxes = new float[1, 4];
            for (int i = 0; i < 4; i++) boxes[0, i] = box[i];
        }
        float[,,]? points = null;
        int[,]? labels = null;
        if (pointCoords is not null)
        {
            if (pointCoords.GetLength(1) != 2) throw new PromptValidationException($"point coordinates must be [N,2], got [{pointCoords.GetLength(0)},{pointCoords.GetLength(1)}]");
            points = new float[1, pointCoords.GetLength(0), 2];
            for (int i = 0; i < pointCoords.GetLength(0); i++)
            {
                points[0, i, 0] = pointCoords[i, 0];
                points[0, i, 1] = pointCoords[i, 1];
            }
        }
        if (pointLabels is not null)
        {
            labels = new int[1, pointLabels.Length];
            for (int i = 0; i < pointLabels.Length; i++) labels[0, i] = pointLabels[i];
        }
        if (pointCoords is not null && pointLabels is not null && pointLabels.Length != pointCoords.GetLength(0))
        {
            throw new PromptValidationException($"{pointLabels.Length} point labels for {pointCoords.GetLength(0)} points: one label per point");
        }
        if (maskInput is not null && maskInput.dim() != 3)
        {
            throw new PromptValidationException($"mask input must be [1,{LowResSize},{LowResSize}] low-res logits, got [{string.Join(",", maskInput.shape)}]");
        }
        using var mask4 = maskInput?.unsqueeze(0);
        return Run(boxes, points, labels, mask4, multimaskOutput, returnLogits, batched: false);
    }

    /// <summary>
    /// B prompt sets on the current image in one decoder pass (the image embedding is repeated per set):
    /// <paramref name="boxes"/> <c>[B,4]</c> and/or <paramref name="pointCoords"/> <c>[B,N,2]</c> with
    /// <paramref name="pointLabels"/> <c>[B,N]</c>, optional <paramref name="maskInput"/> <c>[B,1,4e,4e]</c>.
    /// Every output has a leading B dimension: masks <c>[B,C,H0,W0]</c>, IoU <c>[B,C]</c>, low-res <c>[B,C,4e,4e]</c>.
    /// </summary>
    public Sam2Prediction PredictBatch(float[,]? boxes = null, float[,,]? pointCoords = null, int[,]? pointLabels = null, Tensor? maskInput = null,
        bool multimaskOutput = true, bool returnLogits = false)
    {
        if (maskInput is not null && maskInput.dim() != 4)
        {
            throw new PromptValidationException($"batched mask input must be [B,1,{LowResSize},{LowResSize}], got [{string.Join(",", maskInput.shape)}]");
        }
        return Run(boxes, pointCoords, pointLabels, maskInput, multimaskOutput, returnLogits, batched: true);
    }

    private Sam2Prediction Run(float[,]? boxes, float[,,]? points, int[,]? labels, Tensor? maskInput, bool multimaskOutput, bool returnLogits, bool batched)
    {
        var features = Features;
        var prompts = PromptPointSet.Build(boxes, points, labels, OriginalWidth, OriginalHeight, ImageSize);
        if (prompts is null && maskInput is null) throw new PromptValidationException("no prompt given: pass points, a box or a mask input");
        long batch = prompts?.Batch ?? maskInput!.shape[0];
        if (maskInput is not null)
        {
            var s = maskInput.shape;
            if (s[0] != batch || s[1] != 1 || s[2] != LowResSize || s[3] != LowResSize)
            {
                throw new PromptValidationException(
                    $"mask input must be [{batch},1,{LowResSize},{LowResSize}] low-res logits for {batch} prompt set(s), got [{string.Join(",", s)}]");
            }
        }

        var device = ModelDevice();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor? coords = null, labelTensor = null;
        if (prompts is not null)
        {
            coords = tensor(prompts.Coords, new long[] { prompts.Batch, prompts.PointsPerSet, 2 }, dtype: ScalarType.Float32, device: device);
            labelTensor = tensor(prompts.Labels, new long[] { prompts.Batch, prompts.PointsPerSet }, dtype: ScalarType.Int32, device: device);
        }
        var mask = maskInput?.to_type(ScalarType.Float32).to(device);

        var (sparse, dense) = Model.PromptEncoder.Forward(coords, labelTensor, mask);
        using var decoded = Model.MaskDecoder.Forward(features.ImageEmbed, _densePe!, sparse, dense, multimaskOutput,
            repeatImage: batch > 1, features.HighRes0, features.HighRes1);

        // postprocess_masks: bilinear (align_corners=False, no antialias) straight from 4e×4e to H0×W0.
        var lowRes = decoded.Masks;
        var masks = nn.functional.interpolate(lowRes, new long[] { OriginalHeight, OriginalWidth },
            mode: InterpolationMode.Bilinear, align_corners: false);
        var lowResClamped = lowRes.clamp(-32.0f, 32.0f);
        if (!returnLogits) masks = masks.gt(MaskThreshold);
        var iou = decoded.IouPred;
        if (!batched)
        {
            masks = masks.squeeze(0);
            iou = iou.squeeze(0);
            lowResClamped = lowResClamped.squeeze(0);
        }
        var result = new Sam2Prediction(masks.contiguous(), iou.contiguous(), lowResClamped.contiguous(), OriginalHeight, OriginalWidth);
        result.Masks.MoveToOuterDisposeScope();
        result.IouPredictions.MoveToOuterDisposeScope();
        result.LowResLogits.MoveToOuterDisposeScope();
        return result;
    }

    private Device ModelDevice() => Model.parameters().First().device;

    private static InvalidOperationException NotSet() =>
        new("an image must be set with SetImage(...) before prompting or reading its embedding");

    public void Dispose() => ResetPredictor();
}
