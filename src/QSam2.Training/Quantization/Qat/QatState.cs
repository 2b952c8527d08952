using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QSam2.Training.Quantization.Qat;

/// <summary>
/// Sidecar of a resumable QAT run (<c>state.json</c> in the run's state folder): where it stopped and what it was
/// started with, so a resume with other settings is refused instead of silently mixing runs.
/// </summary>
public sealed record QatState
{
    public const string CurrentFormat = "qsam2-qat-state/1";

    public string Format { get; init; } = CurrentFormat;

    public required string Arch { get; init; }

    /// <summary>Identifies the recipe as run (name + structure + settings), see <see cref="QatTrainer"/>.</summary>
    public required string RecipeKey { get; init; }

    public required int Step { get; init; }

    public required int TotalSteps { get; init; }

    public required int TrainImages { get; init; }

    public double ElapsedSeconds { get; init; }

    public double[] Losses { get; init; } = Array.Empty<double>();

    public string ToJson() => JsonSerializer.Serialize(this, s_options);

    public static QatState Read(string path)
    {
        try
        {
            var state = JsonSerializer.Deserialize<QatState>(File.ReadAllText(path), s_options)
                ?? throw new InvalidDataException($"{path}: empty QAT state");
            if (state.Format != CurrentFormat) throw new InvalidDataException($"{path}: format \"{state.Format}\" is not {CurrentFormat}");
            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: not a QAT state file ({e.Message})"), e);
        }
    }

    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
