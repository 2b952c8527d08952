using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Segmenters.Automatic;

/// <summary>
/// One mask found by <see cref="AutomaticMaskGenerator"/>: its pixels (COCO RLE at the image size), the box of its
/// pixels (inclusive corners), area, the decoder's predicted IoU, its stability score and the grid point that
/// prompted it (which of the three candidates it was in <see cref="Candidate"/>).
/// </summary>
public sealed record AutoMask(RleMask Rle, int X0, int Y0, int X1, int Y1, float PredictedIou, float StabilityScore,
    float PointX, float PointY, int Candidate)
{
    /// <summary>Foreground pixels.</summary>
    public long Area => Rle.Area;
}
