namespace QSam2.Training.Training;

/// <summary>What the trainer reports after every optimizer step.</summary>
/// <param name="Step">Optimizer steps completed (1-based after the first step).</param>
/// <param name="TotalSteps">Steps of the whole run (all epochs).</param>
/// <param name="Epoch">0-based epoch the step belongs to.</param>
/// <param name="StepSeconds">Wall time of this step.</param>
/// <param name="SessionSteps">Steps done in this process (for the rate; a resumed run starts at 0).</param>
/// <param name="SessionSeconds">Wall time of this process's steps.</param>
public sealed record TrainingProgress(
    long Step, long TotalSteps, int Epoch, int Epochs, LossValues Loss, double LearningRate, int Objects,
    double StepSeconds, long SessionSteps, double SessionSeconds)
{
    /// <summary>Estimated seconds left at the session's average step time.</summary>
    public double EtaSeconds => SessionSteps == 0 ? double.NaN : (TotalSteps - Step) * (SessionSeconds / SessionSteps);
}
