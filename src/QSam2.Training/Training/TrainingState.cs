using System.Text.Json;
using System.Text.Json.Serialization;

namespace QSam2.Training.Training;

/// <summary>
/// The resumable part of a run that is not model weights (<c>&lt;checkpoint&gt;.train.json</c>): where the run
/// stands, the options that fix its data order and schedule, and the files it belongs with. Written last, so
/// its presence means the checkpoint and optimizer files it names are complete.
/// </summary>
public sealed record TrainingState
{
    public const string CurrentFormat = "qsam2-train-state/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>Arch spec name the weights belong to.</summary>
    public required string Arch { get; init; }

    /// <summary>Optimizer steps completed.</summary>
    public required long Step { get; init; }

    /// <summary>Epochs fully completed.</summary>
    public required int EpochsCompleted { get; init; }

    public required int StepsPerEpoch { get; init; }

    public required int Seed { get; init; }

    public required int BatchSize { get; init; }

    public required int ObjectsPerImage { get; init; }

    public required int Epochs { get; init; }

    public required double LearningRate { get; init; }

    public required int WarmupSteps { get; init; }

    public double EncoderLrScale { get; init; } = 1.0;

    public int FocalWarmupSteps { get; init; }

    /// <summary><see cref="TrainOptions.LossAndPromptSettings"/> of the run (empty in states written before it was recorded).</summary>
    public string LossSettings { get; init; } = "";

    /// <summary>Number of usable training images (a changed dataset cannot resume the same order).</summary>
    public required int TrainImages { get; init; }

    /// <summary>Size in bytes of the model checkpoint written with this state (detects a mismatched pair).</summary>
    public required long CheckpointBytes { get; init; }

    /// <summary>File name (beside the checkpoint) of the TorchSharp optimizer state.</summary>
    public required string OptimizerFile { get; init; }

    /// <summary>Wall seconds spent training so far, over all sessions.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Mean total loss of each completed epoch.</summary>
    public IReadOnlyList<double> EpochLosses { get; init; } = Array.Empty<double>();

    /// <summary>Sum and count of the step losses of the epoch in progress (so its mean survives a resume).</summary>
    public double EpochLossSum { get; init; }

    public int EpochLossCount { get; init; }

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The sidecar path for a checkpoint path.</summary>
    public static string PathFor(string checkpointPath) => checkpointPath + ".train.json";

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a sidecar; throws <see cref="InvalidDataException"/> naming the file on any problem.</summary>
    public static TrainingState Read(string path)
    {
        TrainingState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a training state file ({e.Message})", e);
        }
        if (state is null) throw new InvalidDataException($"{path}: empty training state");
        if (state.Format != CurrentFormat)
            throw new InvalidDataException($"{path}: format '{state.Format}' is not '{CurrentFormat}'");
        return state;
    }
}
