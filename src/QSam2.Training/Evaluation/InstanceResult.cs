namespace QSam2.Training.Evaluation;

/// <summary>
/// One evaluated object: the IoU of the predicted mask with the reference (ground truth, or the other model's
/// mask under <c>--against</c>) and the IoU the model predicted for its mask.
/// </summary>
/// <param name="Area">Reference mask area in original-image pixels (decides the COCO size class).</param>
public sealed record InstanceResult(long ImageId, long AnnotationId, string Category, double Area, double Iou, double PredictedIou)
{
    public ObjectSize Size => ObjectSizes.Classify(Area);
}
