using QSam2.Spec.Model;
using QSam2.Training.Quantization.Qat;

namespace QSam2.Training.Quantization.Experiment;

/// <summary>Inputs of <c>qsam2 experiment</c>.</summary>
public sealed record ExperimentRequest
{
    public required ArchSpec Arch { get; init; }
    public required string CheckpointPath { get; init; }
    public required string CalibrationPath { get; init; }
    public required string TrainDataPath { get; init; }
    public required string EvalPath { get; init; }
    public int EvalImages { get; init; } = 100;

    /// <summary>Score every model against the FP32 model's masks (same GT-box prompts) instead of the labels.</summary>
    public bool AgainstFloat { get; init; }
    public IReadOnlyList<BitConfig> Configs { get; init; } = BitConfig.Defaults;
    public IReadOnlyList<ExperimentMethod> Methods { get; init; } = ExperimentMethods.All;
    public ExperimentSettings Settings { get; init; } = new();
    public int Threads { get; init; } = 1;
    public string Command { get; init; } = "";

    /// <summary>Folder for the resumable state (finished cells, interrupted QAT runs).</summary>
    public required string WorkFolder { get; init; }

    public Action<string>? Log { get; init; }
    public Action<QatProgress>? QatProgress { get; init; }
    public CancellationToken Cancel { get; init; }
}
