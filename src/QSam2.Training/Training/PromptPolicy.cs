namespace QSam2.Training.Training;

/// <summary>How the prompts of one training image are drawn (every object of the image shares the plan, so its
/// prompts have one point count and are decoded in one batched decoder call).</summary>
/// <param name="Box">A noisy box (else clicks).</param>
/// <param name="Clicks">Number of initial clicks when not a box.</param>
/// <param name="Corrections">Number of iterative correction clicks after the first prediction.</param>
public readonly record struct PromptPlan(bool Box, int Clicks, int Corrections)
{
    /// <summary>Points fed to the prompt encoder at correction step <paramref name="step"/> (0 = initial prompt).</summary>
    public int PointCount(int step) => (Box ? 2 : Clicks) + step;
}

/// <summary>
/// Probabilities of the prompt kinds. SAM2 trains with a box (p = 0.5 of point prompts) or clicks, then
/// correction clicks; sam2_mini defaults lean on boxes and on up to three clicks because those are what
/// <c>qsam2 eval</c> measures (box, point, points3).
/// </summary>
public sealed record PromptPolicy
{
    public double BoxProbability { get; init; } = 0.5;

    /// <summary>Clicks of a click prompt are drawn uniformly from 1..MaxClicks.</summary>
    public int MaxClicks { get; init; } = 3;

    /// <summary>Probability that a click after the first is positive (else a negative click near the object).</summary>
    public double ExtraClickPositiveProbability { get; init; } = 0.7;

    /// <summary>Probability that an image gets one correction step (SAM2 uses up to 7 on some frames).</summary>
    public double CorrectionProbability { get; init; } = 0.25;

    /// <summary>Probability that a correction click is sampled from the ground truth instead of the error region (SAM2: 0.1).</summary>
    public double CorrectionFromTruthProbability { get; init; } = 0.1;

    public PromptPlan Choose(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        bool box = rng.NextDouble() < BoxProbability;
        int clicks = box ? 0 : 1 + rng.Next(Math.Max(1, MaxClicks));
        int corrections = rng.NextDouble() < CorrectionProbability ? 1 : 0;
        return new PromptPlan(box, clicks, corrections);
    }

    /// <summary>The initial prompt of one object under <paramref name="plan"/>.</summary>
    public PromptPoints Sample(PromptPlan plan, BinaryMask mask, Random rng) =>
        plan.Box ? PromptSampler.NoisyBox(mask, rng) : PromptSampler.Clicks(mask, plan.Clicks, ExtraClickPositiveProbability, rng);

    /// <summary>The next correction click given the previous prediction (or, with a small probability, from the truth alone).</summary>
    public (float X, float Y, int Label) Correction(BinaryMask truth, BinaryMask prediction, Random rng)
    {
        if (rng.NextDouble() < CorrectionFromTruthProbability)
        {
            // SAM2: sample as if nothing were predicted, i.e. a positive click on the object.
            prediction = new BinaryMask(truth.Width, truth.Height, new byte[truth.Data.Length]);
        }
        return PromptSampler.CorrectionClick(truth, prediction, rng);
    }
}
