namespace QSam2.Runtime.Coco;

/// <summary>An axis-aligned box in COCO's XYWH convention, in pixels of the original image.</summary>
public readonly record struct CocoBox(double X, double Y, double Width, double Height)
{
    /// <summary>The box as XYXY (what SAM2 box prompts take).</summary>
    public (double X0, double Y0, double X1, double Y1) ToXyxy() => (X, Y, X + Width, Y + Height);
}
