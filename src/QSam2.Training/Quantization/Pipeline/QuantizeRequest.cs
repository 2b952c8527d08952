using QSam2.Spec.Model;
using QSam2.Training.Evaluation;
using QSam2.Training.Quantization.Qat;
using QSam2.Training.Quantization.Recipes;

namespace QSam2.Training.Quantization.Pipeline;

/// <summary>Inputs of one quantization run (<c>qsam2 quantize</c>, or one cell of <c>qsam2 experiment</c>).</summary>
public sealed record QuantizeRequest
{
    public required ArchSpec Arch { get; init; }

    public required string CheckpointPath { get; init; }

    public required QuantRecipe Recipe { get; init; }

    /// <summary>Calibration images: a COCO folder or a folder of images.</summary>
    public required string CalibrationPath { get; init; }

    /// <summary>COCO training set for QAT (required by QAT recipes).</summary>
    public string? TrainDataPath { get; init; }

    /// <summary>Evaluation images for the report's mIoU and sensitivity (labelled: against labels; otherwise label-free).</summary>
    public string? EvalPath { get; init; }

    /// <summary>At most this many evaluation images (0: all).</summary>
    public int EvalImages { get; init; } = 20;

    public EvalPromptKind Prompt { get; init; } = EvalPromptKind.Box;

    /// <summary>Score masks against the float model's masks for the same prompts even when the images are labelled.</summary>
    public bool AgainstFloat { get; init; }

    /// <summary>Also evaluate the float model (original, and after VRC) for the report; the experiment does that once.</summary>
    public bool EvaluateFloat { get; init; } = true;

    /// <summary>Layers (lowest SQNR first) whose single-layer mIoU drop is measured; 0 skips sensitivity.</summary>
    public int SensitivityLayers { get; init; } = 8;

    /// <summary>Name of the exported spec (files <c>&lt;name&gt;.quant.json</c>, <c>.qsw</c>, <c>.report.*</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Folder of the resumable QAT state (null: QAT is not resumable).</summary>
    public string? QatStateFolder { get; init; }

    public bool Resume { get; init; }

    /// <summary>Reuse of calibration results across runs on the same checkpoint and images (experiments); null: none.</summary>
    public CalibrationCache? Cache { get; init; }

    /// <summary>libtorch threads. On a shared 2-core machine 1 is much faster than 2 (OpenMP threads spin when oversubscribed).</summary>
    public int Threads { get; init; } = 1;

    public Action<string>? Log { get; init; }

    public Action<QatProgress>? QatProgress { get; init; }

    /// <summary>Stops QAT after the current step (saving its state when resumable); the run then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancel { get; init; }
}
