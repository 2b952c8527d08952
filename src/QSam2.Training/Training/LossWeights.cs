namespace QSam2.Training.Training;

/// <summary>
/// Weights and shape parameters of SAM2's training loss (<c>training/loss_fns.py</c>,
/// <c>MultiStepMultiMasksAndIous</c> with the released configs' <c>weight_dict</c>).
/// </summary>
public sealed record LossWeights
{
    /// <summary>Weight of the sigmoid focal loss on mask logits (SAM2: 20).</summary>
    public double Focal { get; init; } = 20;

    /// <summary>Weight of the dice loss (SAM2: 1).</summary>
    public double Dice { get; init; } = 1;

    /// <summary>Weight of the IoU-prediction loss (SAM2: 1).</summary>
    public double Iou { get; init; } = 1;

    /// <summary>Weight of the object-score BCE (SAM2: 1).</summary>
    public double ObjectScore { get; init; } = 1;

    /// <summary>Focal α (SAM2: 0.25).</summary>
    public double FocalAlpha { get; init; } = 0.25;

    /// <summary>Focal γ (SAM2: 2).</summary>
    public double FocalGamma { get; init; } = 2;

    /// <summary>L1 (SAM2's <c>iou_use_l1_loss: true</c>) instead of MSE for the IoU head.</summary>
    public bool IouUseL1 { get; init; } = true;

    /// <summary>
    /// With several candidates, supervise every candidate's IoU prediction (SAM2's <c>supervise_all_iou: true</c>)
    /// rather than only the candidate with the lowest mask loss.
    /// </summary>
    public bool SuperviseAllIou { get; init; } = true;

    /// <summary>SAM2's released training weights.</summary>
    public static LossWeights Sam2 { get; } = new();
}
