namespace QSam2.Training.Training;

/// <summary>
/// Linear warmup from 0 to <see cref="BaseLr"/> over <see cref="WarmupSteps"/>, then cosine decay to
/// <c>BaseLr · FinalFraction</c> at <see cref="TotalSteps"/> (SAM2 decays cosine to lr/10). A pure function of
/// the step, so a resumed run gets exactly the rates of an uninterrupted one.
/// </summary>
public sealed record LearningRateSchedule(double BaseLr, long WarmupSteps, long TotalSteps, double FinalFraction = 0.1)
{
    /// <summary>Learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative");
        if (WarmupSteps > 0 && step < WarmupSteps) return BaseLr * (step + 1) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double t = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double floor = BaseLr * FinalFraction;
        return floor + (BaseLr - floor) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }
}
