using QSam2.Runtime.Coco;
using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Output;

/// <summary>
/// One returned mask: which object and candidate it is, the binary mask at the image size (row-major 0/1), its COCO
/// RLE, XYWH box and area, and the model's predicted IoU. <see cref="Id"/> is its index in the JSON <c>masks</c> list
/// and in the mask PNG name.
/// </summary>
public sealed record SegmentedMask(int Id, int Object, int Candidate, ObjectPrompt Prompt, byte[] Mask, int Width, int Height, float PredictedIou)
{
    private RleMask? _rle;

    public RleMask Rle => _rle ??= Runtime.Coco.Rle.Encode(Mask, Height, Width);

    public CocoBox Bbox => Runtime.Coco.Rle.ToBbox(Rle);

    public long Area => Rle.Area;
}
