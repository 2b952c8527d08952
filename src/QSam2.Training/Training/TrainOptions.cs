namespace QSam2.Training.Training;

/// <summary>
/// Settings of one training run (<c>qsam2 train</c>). Everything that decides the data order, the prompts and
/// the learning-rate schedule is here, so a run is reproduced by its options and data; the ones that must not
/// change on <c>--resume</c> are checked against the saved state (see <see cref="TrainingState"/>).
/// </summary>
public sealed record TrainOptions
{
    public int Epochs { get; init; } = 10;

    /// <summary>Images per optimizer step (each image is encoded once and all its sampled objects are decoded).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Objects sampled per image per step (fewer when the image has fewer).</summary>
    public int ObjectsPerImage { get; init; } = 8;

    /// <summary>Peak learning rate (AdamW).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay for weights; biases and norm parameters (1-D tensors) get none, as in SAM2.</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Learning-rate multiplier for the image encoder (trunk and neck).</summary>
    public double EncoderLrScale { get; init; } = 1.0;

    /// <summary>
    /// The focal-loss weight ramps linearly from 0 to its value over this many steps (0: full weight from the start).
    /// From random weights the focal term's push on the ~99% background pixels otherwise dominates the first steps.
    /// </summary>
    public int FocalWarmupSteps { get; init; }

    /// <summary>
    /// Curriculum: prompt with clicks only (box probability 0) for this many steps, then with <see cref="Prompts"/>.
    /// From random weights a box prompt needs an "inside both corners" test the two-way transformer has to discover,
    /// while a click only needs "near this point"; learning clicks first gets the decoder off the empty-mask plateau.
    /// </summary>
    public int ClicksFirstSteps { get; init; }

    /// <summary>
    /// Curriculum: box prompts also carry their box as a dense mask prompt, with a probability falling linearly from 1
    /// at step 0 to 0 at this step. The dense path gives the decoder the box's position directly, so the encoder learns
    /// object features while the sparse path still cannot localize corners; as hints fade, the sparse path must take over.
    /// </summary>
    public int BoxHintSteps { get; init; }

    /// <summary>The probability of a box hint at <paramref name="step"/> (see <see cref="BoxHintSteps"/>).</summary>
    public double BoxHintProbabilityAt(long step) => step >= BoxHintSteps ? 0 : 1.0 - (double)step / BoxHintSteps;

    /// <summary>The prompt policy in force at <paramref name="step"/> (see <see cref="ClicksFirstSteps"/>).</summary>
    public PromptPolicy PromptsAt(long step) => step < ClicksFirstSteps ? Prompts with { BoxProbability = 0 } : Prompts;

    /// <summary>Linear warmup length in optimizer steps.</summary>
    public int WarmupSteps { get; init; } = 200;

    /// <summary>The cosine schedule ends at this fraction of the peak rate (SAM2: 0.1).</summary>
    public double FinalLrFraction { get; init; } = 0.1;

    /// <summary>Gradient L2-norm clip (0 disables).</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>
    /// Start a new run from these weights (an official-layout <c>.pt</c> or safetensors of the same architecture)
    /// instead of the seeded random initialisation: fine-tuning, e.g. the shipped sam2_mini on one's own data.
    /// Ignored when resuming (the saved run already holds its weights).
    /// </summary>
    public string? InitCheckpoint { get; init; }

    /// <summary>Seed of the weight initialisation, the epoch order and the prompt sampling.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// libtorch intra-op threads. Default 1: on a shared, oversubscribed machine OpenMP worker threads spin while
    /// waiting, and two threads measured ~9x slower per step than one (sam2_mini, 2 cores under load).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Stop (saving a resumable state) after this many optimizer steps in total; null = run all epochs.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Also save a resumable state every this many steps inside an epoch (0 = only at epoch ends).</summary>
    public int SaveEverySteps { get; init; }

    /// <summary>
    /// Side at which mask losses are computed (null: the model input size, as SAM2 does). Smaller values upsample the
    /// low-res logits less and area-average the ground truth, trading boundary precision for speed.
    /// </summary>
    public int? LossResolution { get; init; }

    public LossWeights Loss { get; init; } = LossWeights.Sam2;

    public PromptPolicy Prompts { get; init; } = new();

    /// <summary>The loss and prompt settings that must stay the same when a run is resumed, as one comparable line.</summary>
    public string LossAndPromptSettings() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"focal {Loss.Focal:R} alpha {Loss.FocalAlpha:R} gamma {Loss.FocalGamma:R}, dice {Loss.Dice:R}, iou {Loss.Iou:R}, object {Loss.ObjectScore:R}, box p {Prompts.BoxProbability:R}, clicks 1..{Prompts.MaxClicks}, correction p {Prompts.CorrectionProbability:R}, clip {GradientClip:R}, clicks first {ClicksFirstSteps}, box hints {BoxHintSteps}, loss side {LossResolution?.ToString() ?? "input"}");

    /// <summary>Throws <see cref="ArgumentException"/> naming the option for values that cannot work.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs})");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1 (got {BatchSize})");
        if (ObjectsPerImage < 1) throw new ArgumentException($"--objects-per-image must be at least 1 (got {ObjectsPerImage})");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be positive (got {LearningRate})");
        if (WeightDecay < 0) throw new ArgumentException($"--weight-decay must be non-negative (got {WeightDecay})");
        if (WarmupSteps < 0) throw new ArgumentException($"--warmup-steps must be non-negative (got {WarmupSteps})");
        if (Threads < 1) throw new ArgumentException($"--threads must be at least 1 (got {Threads})");
        if (MaxSteps is < 1) throw new ArgumentException($"--max-steps must be at least 1 (got {MaxSteps})");
        if (!(EncoderLrScale > 0)) throw new ArgumentException($"--encoder-lr-scale must be positive (got {EncoderLrScale})");
        if (FocalWarmupSteps < 0) throw new ArgumentException($"--focal-warmup-steps must be non-negative (got {FocalWarmupSteps})");
        if (LossResolution is < 1) throw new ArgumentException($"--loss-resolution must be positive (got {LossResolution})");
        if (!(Loss.Focal >= 0)) throw new ArgumentException($"--focal-weight must be non-negative (got {Loss.Focal})");
        if (!(Loss.FocalGamma >= 0)) throw new ArgumentException($"--focal-gamma must be non-negative (got {Loss.FocalGamma})");
        if (Loss.FocalAlpha > 1) throw new ArgumentException($"--focal-alpha must be at most 1 (got {Loss.FocalAlpha})");
        if (!(Prompts.BoxProbability >= 0 && Prompts.BoxProbability <= 1))
            throw new ArgumentException($"--box-probability must be between 0 and 1 (got {Prompts.BoxProbability})");
        if (!(Prompts.CorrectionProbability >= 0 && Prompts.CorrectionProbability <= 1))
            throw new ArgumentException($"--correction-probability must be between 0 and 1 (got {Prompts.CorrectionProbability})");
        if (!(GradientClip >= 0)) throw new ArgumentException($"--grad-clip must be non-negative (got {GradientClip})");
        if (Prompts.MaxClicks < 1) throw new ArgumentException($"--max-clicks must be at least 1 (got {Prompts.MaxClicks})");
        if (BoxHintSteps < 0) throw new ArgumentException($"--box-hint-steps must be non-negative (got {BoxHintSteps})");
        if (ClicksFirstSteps < 0) throw new ArgumentException($"--clicks-first-steps must be non-negative (got {ClicksFirstSteps})");
        if (SaveEverySteps < 0) throw new ArgumentException($"--save-every must be non-negative (got {SaveEverySteps})");
    }
}
