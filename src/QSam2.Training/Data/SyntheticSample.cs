namespace QSam2.Training.Data;

/// <summary>One visible object of a synthetic image: its shape and the pixels where it is on top.</summary>
/// <param name="Shape">Object kind (its value is the COCO category id).</param>
/// <param name="Mask">Row-major H×W bytes, 1 where the object is visible (after later objects occlude it).</param>
/// <param name="Area">Number of visible pixels.</param>
public sealed record SyntheticObject(SyntheticShape Shape, byte[] Mask, int Area);

/// <summary>A rendered synthetic image and the visible masks of its objects, in drawing order (bottom first).</summary>
/// <param name="Rgb">Row-major H×W×3 bytes.</param>
public sealed record SyntheticSample(int Width, int Height, byte[] Rgb, IReadOnlyList<SyntheticObject> Objects);
