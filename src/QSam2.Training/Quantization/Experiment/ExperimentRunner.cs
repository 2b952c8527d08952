using System.Diagnostics;
using System.Security.Cryptography;
using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Model;
using QSam2.Training.Evaluation;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Pipeline;
using QSam2.Training.Quantization.Qat;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Reporting;
using TorchSharp;

namespace QSam2.Training.Quantization.Experiment;

/// <summary>
/// Runs the comparison grid (methods × bit configurations) with <see cref="QuantizePipeline"/>, one cell at a time,
/// saving finished cells in the work folder so an interrupted run continues where it stopped (QAT cells resume
/// mid-training). FP32 is evaluated once. Every cell is scored on the same held-out images with box prompts.
/// </summary>
public static class ExperimentRunner
{
    public const string StateFile = "experiment-state.json";

    public static ExperimentResult Run(ExperimentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var log = request.Log ?? (_ => { });
        var watch = Stopwatch.StartNew();
        torch.set_num_threads(request.Threads);
        Directory.CreateDirectory(request.WorkFolder);
        var statePath = Path.Combine(request.WorkFolder, StateFile);
        var s = request.Settings;
        var fresh = new ExperimentResult
        {
            Arch = request.Arch.Name,
            Checkpoint = Path.GetFileName(request.CheckpointPath),
            CheckpointSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(request.CheckpointPath))),
            CalibrationData = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.CalibrationPath)),
            TrainData = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.TrainDataPath)),
            EvalData = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.EvalPath)),
            EvalImages = request.EvalImages,
            Prompt = "box",
            Reference = request.AgainstFloat ? "fp32" : "labels",
            Command = request.Command,
            CalibrationImages = s.CalibrationImages,
            CalibrationSelection = s.Selection == ImageSelection.ConditionNumber ? $"condition_number (of {s.Candidates} candidates)" : "first",
            VrcLambda = s.VrcLambda,
            VrcVariant = s.VrcVariant.ToString().ToLowerInvariant(),
            QatSteps = s.Qat.Steps,
            QatBatchSize = s.Qat.BatchSize,
            QatObjectsPerImage = s.Qat.ObjectsPerImage,
            QatLearningRate = s.Qat.LearningRate,
            Threads = request.Threads,
            Configs = request.Configs.Select(c => c.ToString()).ToArray(),
            Methods = request.Methods.Select(m => m.Key()).ToArray(),
        };
        var result = fresh;
        if (File.Exists(statePath))
        {
            var saved = ExperimentResult.FromJson(File.ReadAllText(statePath), statePath);
            if (saved.CheckpointSha256 != fresh.CheckpointSha256 || saved.Reference != fresh.Reference || saved.QatSteps != fresh.QatSteps || saved.EvalImages != fresh.EvalImages
                || saved.CalibrationImages != fresh.CalibrationImages || saved.VrcLambda != fresh.VrcLambda)
            {
                throw new ArgumentException($"{statePath} holds an experiment with other settings (checkpoint, QAT steps, eval images, calibration or λ); use another output folder or delete it");
            }
            result = fresh with { Cells = saved.Cells, Command = saved.Command.Length > 0 ? saved.Command : fresh.Command, Fp32LabelMIou = saved.Fp32LabelMIou };
            log($"continuing: {result.Cells.Count} cells already measured");
        }

        var images = EvalImageSet.Load(request.EvalPath);
        if (request.EvalImages > 0) images = images.Take(request.EvalImages).ToList();
        // Label-free mode: the FP32 model's mask for the same prompt is the target (it scores 100 against itself).
        using var floatModel = request.AgainstFloat ? LoadFloat(request) : null;
        var evaluation = floatModel is null
            ? new MaskEvaluation(images, EvalPromptKind.Box, null, "labels")
            : new MaskEvaluation(images, EvalPromptKind.Box, new Sam2Segmenter(floatModel), "fp32");
        // Image selection, VRC and input statistics depend only on the float model and the calibration settings.
        using var cache = new CalibrationCache();
        if (double.IsNaN(result.Fp32LabelMIou))
        {
            using var fp32 = LoadFloat(request);
            result.Fp32LabelMIou = new MaskEvaluation(images, EvalPromptKind.Box, null, "labels").MIouPoints(fp32);
            log($"FP32 box mIoU against the labels: {result.Fp32LabelMIou:0.00}");
        }
        foreach (var bits in request.Configs)
        {
            foreach (var method in request.Methods)
            {
                request.Cancel.ThrowIfCancellationRequested();
                if (result.Find(method, bits) is not null) continue;
                if (method == ExperimentMethod.Fp32 && result.Cells.FirstOrDefault(c => c.Method == method.Key()) is { } fp)
                {
                    result.Cells.Add(fp with { Bits = bits.ToString() });
                    continue;
                }
                log($"cell {method.Label()} {bits}");
                var cell = method == ExperimentMethod.Fp32 ? Fp32(request, evaluation, bits) : Quantized(request, method, bits, cache);
                log($"cell {method.Label()} {bits}: mIoU {cell.MIou:0.00} ({cell.Seconds:0} s)");
                result.Cells.Add(cell);
                File.WriteAllText(statePath + ".tmp", result.ToJson());
                File.Move(statePath + ".tmp", statePath, overwrite: true);
            }
        }
        return result with { Seconds = watch.Elapsed.TotalSeconds };
    }

    private static ExperimentCell Fp32(ExperimentRequest request, MaskEvaluation evaluation, BitConfig bits)
    {
        var watch = Stopwatch.StartNew();
        using var model = LoadFloat(request);
        var report = evaluation.Evaluate(model);
        long bytes = 4L * Spec.Quant.ImagePathStructure.Layout(Spec.Arch.Expansion.ArchExpansion.Expand(request.Arch), null, "fp32").Tensors.Sum(t => t.ElementCount);
        return new ExperimentCell { Method = ExperimentMethod.Fp32.Key(), Bits = bits.ToString(), MIou = 100 * report.MIou, Instances = report.Instances, SizeBytes = bytes, Seconds = watch.Elapsed.TotalSeconds };
    }

    private static Sam2Model LoadFloat(ExperimentRequest request)
    {
        var model = new Sam2Model(request.Arch);
        model.LoadStateDict(CheckpointReader.Read(request.CheckpointPath), request.CheckpointPath);
        model.eval();
        return model;
    }

    private static ExperimentCell Quantized(ExperimentRequest request, ExperimentMethod method, BitConfig bits, CalibrationCache cache)
    {
        var recipe = request.Settings.Recipe(method, bits);
        var stateFolder = Path.Combine(request.WorkFolder, "qat", recipe.Name);
        var result = QuantizePipeline.Run(new QuantizeRequest
        {
            Arch = request.Arch,
            CheckpointPath = request.CheckpointPath,
            Recipe = recipe,
            CalibrationPath = request.CalibrationPath,
            TrainDataPath = request.TrainDataPath,
            EvalPath = request.EvalPath,
            EvalImages = request.EvalImages,
            EvaluateFloat = false,
            AgainstFloat = request.AgainstFloat,
            SensitivityLayers = 0,
            Name = request.Arch.Name + "." + recipe.Name,
            QatStateFolder = stateFolder,
            Resume = true,
            Cache = cache,
            Threads = request.Threads,
            Log = request.Log,
            QatProgress = request.QatProgress,
            Cancel = request.Cancel,
        });
        if (Directory.Exists(stateFolder)) Directory.Delete(stateFolder, recursive: true);
        var r = result.Report;
        var quantized = r.Layers.Where(l => !l.KeepFloat).ToList();
        var vrc = r.Layers.Where(l => l.Vrc is not null).Select(l => l.Vrc!).ToList();
        return new ExperimentCell
        {
            Method = method.Key(),
            Bits = bits.ToString(),
            MIou = r.Eval?.QuantizedMIou ?? double.NaN,
            Instances = r.Eval?.Instances ?? 0,
            SizeBytes = r.Size.QuantizedBytes,
            Seconds = r.Seconds,
            QatSteps = r.QatSteps,
            QatFinalLoss = r.QatLosses.Count == 0 ? double.NaN : r.QatLosses.Skip(Math.Max(0, r.QatLosses.Count - 20)).Average(),
            MeanWeightSqnrDb = Mean(quantized.Select(l => l.WeightSqnrDb)),
            MeanActivationSqnrDb = Mean(quantized.Select(l => l.ActivationSqnrDb)),
            VrcNormRatio = vrc.Count == 0 ? double.NaN : vrc.Average(v => v.FrobeniusAfter / v.FrobeniusBefore),
            VrcOutputChange = vrc.Count == 0 ? double.NaN : vrc.Average(v => v.OutputRelativeChange),
        };
    }

    private static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }
}
