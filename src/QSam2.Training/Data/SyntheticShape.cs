using QSam2.Runtime.Coco;

namespace QSam2.Training.Data;

/// <summary>
/// The object kinds of the synthetic dataset; the value is the COCO category id. They cover what a
/// segmenter must handle: convex and concave outlines, holes (ring, frame), sharp corners (star),
/// and thin or elongated structures (bar, curve).
/// </summary>
public enum SyntheticShape
{
    Ellipse = 1,
    Rectangle = 2,
    Triangle = 3,
    Star = 4,
    Ring = 5,
    Frame = 6,
    Bar = 7,
    Blob = 8,
    Curve = 9,
}

/// <summary>The COCO <c>categories</c> of the synthetic dataset.</summary>
public static class SyntheticCategories
{
    public static IReadOnlyList<CocoCategory> All { get; } = new[]
    {
        new CocoCategory((long)SyntheticShape.Ellipse, "ellipse", "convex"),
        new CocoCategory((long)SyntheticShape.Rectangle, "rectangle", "convex"),
        new CocoCategory((long)SyntheticShape.Triangle, "triangle", "convex"),
        new CocoCategory((long)SyntheticShape.Star, "star", "concave"),
        new CocoCategory((long)SyntheticShape.Ring, "ring", "holed"),
        new CocoCategory((long)SyntheticShape.Frame, "frame", "holed"),
        new CocoCategory((long)SyntheticShape.Bar, "bar", "thin"),
        new CocoCategory((long)SyntheticShape.Blob, "blob", "concave"),
        new CocoCategory((long)SyntheticShape.Curve, "curve", "thin"),
    };
}
