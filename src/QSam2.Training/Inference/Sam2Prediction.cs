using static TorchSharp.torch;

namespace QSam2.Training.Inference;

/// <summary>
/// What <see cref="Sam2ImagePredictor"/> returns, mirroring the Python tuple
/// <c>(masks, iou_predictions, low_res_masks)</c>. For one prompt set: <see cref="Masks"/> <c>[C,H0,W0]</c>
/// (bool, or float32 logits with <c>returnLogits</c>), <see cref="IouPredictions"/> <c>[C]</c>,
/// <see cref="LowResLogits"/> <c>[C,4e,4e]</c> clamped to ±32 (feed one back as a mask prompt). With a batch of
/// B prompt sets every tensor gains a leading B dimension. C is 3 with multimask output, else 1.
/// </summary>
public sealed class Sam2Prediction : IDisposable
{
    internal Sam2Prediction(Tensor masks, Tensor iouPredictions, Tensor lowResLogits, int originalHeight, int originalWidth)
    {
        Masks = masks;
        IouPredictions = iouPredictions;
        LowResLogits = lowResLogits;
        OriginalHeight = originalHeight;
        OriginalWidth = originalWidth;
    }

    /// <summary>Masks at the original image size: bool (logit &gt; threshold) or float32 logits.</summary>
    public Tensor Masks { get; }

    /// <summary>Predicted IoU of each returned mask (sigmoid output).</summary>
    public Tensor IouPredictions { get; }

    /// <summary>Low-resolution mask logits, clamped to [-32, 32].</summary>
    public Tensor LowResLogits { get; }

    public int OriginalHeight { get; }

    public int OriginalWidth { get; }

    /// <summary>Number of masks per prompt set (the C dimension).</summary>
    public int MaskCount => (int)IouPredictions.shape[^1];

    /// <summary>IoU predictions as a flat array (row-major over the batch when batched).</summary>
    public float[] IouArray() => IouPredictions.to_type(ScalarType.Float32).cpu().data<float>().ToArray();

    /// <summary>
    /// One mask as row-major H0×W0 booleans. <paramref name="index"/> is the mask index; with a batch,
    /// <paramref name="batch"/> picks the prompt set. Works for bool masks and for logits (&gt; 0).
    /// </summary>
    public bool[] MaskArray(int index, int batch = 0)
    {
        using var scope = NewDisposeScope();
        var m = Masks.dim() == 4 ? Masks[batch, index] : Masks[index];
        var b = m.dtype == ScalarType.Bool ? m : m.gt(0);
        return b.cpu().contiguous().data<bool>().ToArray();
    }

    public void Dispose()
    {
        Masks.Dispose();
        IouPredictions.Dispose();
        LowResLogits.Dispose();
    }
}
