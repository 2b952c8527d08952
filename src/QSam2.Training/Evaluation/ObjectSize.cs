namespace QSam2.Training.Evaluation;

/// <summary>COCO's object size classes by mask area in original-image pixels (small &lt; 32², medium &lt; 96²).</summary>
public enum ObjectSize
{
    Small,
    Medium,
    Large,
}

public static class ObjectSizes
{
    public const double SmallMaxArea = 32 * 32;
    public const double MediumMaxArea = 96 * 96;

    public static ObjectSize Classify(double area) =>
        area < SmallMaxArea ? ObjectSize.Small : area < MediumMaxArea ? ObjectSize.Medium : ObjectSize.Large;

    public static string Name(this ObjectSize size) => size switch
    {
        ObjectSize.Small => "small",
        ObjectSize.Medium => "medium",
        ObjectSize.Large => "large",
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };
}
