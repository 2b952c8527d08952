namespace QSam2.Runtime.Checkpoints;

/// <summary>A key whose tensor exists but has another shape than the model expects.</summary>
public sealed record ShapeMismatch(string Key, int[] Expected, int[] Actual)
{
    public override string ToString() =>
        $"{Key}: expected {TensorData.FormatShape(Expected)}, checkpoint has {TensorData.FormatShape(Actual)}";
}
