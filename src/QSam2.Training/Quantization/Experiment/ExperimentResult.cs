using System.Text.Json;
using System.Text.Json.Serialization;

namespace QSam2.Training.Quantization.Experiment;

/// <summary>The comparison as run: setup, budgets and every measured cell (docs/results/experiment.json).</summary>
public sealed record ExperimentResult
{
    public const string CurrentFormat = "qsam2-experiment/1";

    public string Format { get; init; } = CurrentFormat;

    public required string Arch { get; init; }

    public required string Checkpoint { get; init; }

    public required string CheckpointSha256 { get; init; }

    public required string CalibrationData { get; init; }

    public required string TrainData { get; init; }

    public required string EvalData { get; init; }

    public required int EvalImages { get; init; }

    public required string Prompt { get; init; }

    /// <summary>"labels" (mIoU against the ground truth) or "fp32" (agreement with the FP32 model's masks).</summary>
    public string Reference { get; init; } = "labels";

    /// <summary>The FP32 model's own box mIoU against the labels on the same images (always measured, for context).</summary>
    public double Fp32LabelMIou { get; set; } = double.NaN;

    public required string Command { get; init; }

    public required int CalibrationImages { get; init; }

    public required string CalibrationSelection { get; init; }

    public required double VrcLambda { get; init; }

    public required string VrcVariant { get; init; }

    public required int QatSteps { get; init; }

    public required int QatBatchSize { get; init; }

    public required int QatObjectsPerImage { get; init; }

    public required double QatLearningRate { get; init; }

    public required int Threads { get; init; }

    public required string[] Configs { get; init; }

    public required string[] Methods { get; init; }

    public List<ExperimentCell> Cells { get; init; } = new();

    public double Seconds { get; init; }

    public ExperimentCell? Find(ExperimentMethod method, BitConfig bits) =>
        Cells.FirstOrDefault(c => c.Method == method.Key() && c.Bits == bits.ToString());

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static ExperimentResult FromJson(string json, string path)
    {
        try
        {
            var r = JsonSerializer.Deserialize<ExperimentResult>(json, Options) ?? throw new InvalidDataException($"{path}: empty");
            if (r.Format != CurrentFormat) throw new InvalidDataException($"{path}: format \"{r.Format}\" is not {CurrentFormat}");
            return r;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an experiment state ({e.Message})", e);
        }
    }

    /// <summary>snake_case, indented, NaN written as the string "NaN" (JSON has no NaN).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
