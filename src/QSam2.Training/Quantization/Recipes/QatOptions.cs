namespace QSam2.Training.Quantization.Recipes;

/// <summary>Recipe block <c>qat</c>: quantization-aware training after calibration.</summary>
public sealed record QatOptions
{
    public QatQuantizer Quantizer { get; init; } = QatQuantizer.Lsc;

    /// <summary>Optimizer steps (each: <see cref="BatchSize"/> images × up to <see cref="ObjectsPerImage"/> objects).</summary>
    public int Steps { get; init; } = 300;

    public int BatchSize { get; init; } = 2;

    public int ObjectsPerImage { get; init; } = 4;

    /// <summary>AdamW learning rate of the model weights (cosine decay to 10%, no warmup).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Learning rate of the LSC clip factors α.</summary>
    public double QuantizerLearningRate { get; init; } = 1e-2;

    /// <summary>Weight of the newest batch in the running statistics of the LSC quantizers.</summary>
    public double Momentum { get; init; } = 0.1;

    /// <summary>EMA decay of the MinMax activation observers.</summary>
    public double MinMaxDecay { get; init; } = 0.99;

    /// <summary>Weight of the distillation loss (student vs float teacher: mask logits MSE + IoU MSE).</summary>
    public double DistillWeight { get; init; } = 1.0;

    /// <summary>Weight of the ground-truth SAM2 loss (focal + dice + IoU + object score).</summary>
    public double GroundTruthWeight { get; init; } = 1.0;

    public double WeightDecay { get; init; }

    public double GradientClip { get; init; } = 1.0;

    /// <summary>Save a resumable state every this many steps (0: only at the end).</summary>
    public int SaveEvery { get; init; } = 50;

    public int Seed { get; init; }

    /// <summary>libtorch threads (set from <c>--threads</c>, not from the recipe file).</summary>
    public int Threads { get; init; } = 1;
}
