using System.Diagnostics;
using System.Security.Cryptography;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Coco;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant;
using QSam2.Training.Evaluation;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Quantization.Qat;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Reporting;
using QSam2.Training.Quantization.Simulation;
using QSam2.Training.Quantization.Vrc;
using QSam2.Training.Training;
using TorchSharp;

namespace QSam2.Training.Quantization.Pipeline;

/// <summary>
/// <c>qsam2 quantize</c> from start to end: load the float model, resolve the recipe's per-layer bits against the
/// architecture, choose calibration images, run VRC (optional), observe every quantized layer's input, set up PTQ or
/// QAT quantizers (and train), then export the <c>.qsw</c> and <c>.quant.json</c> and build the report (per-layer SQNR,
/// VRC effect, mIoU, single-layer sensitivity). Nothing is written here: the caller stages the returned files.
/// </summary>
public static partial class QuantizePipeline
{
    public static QuantizeResult Run(QuantizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        var recipe = request.Recipe;
        var sink = request.Log ?? (_ => { });
        void log(string message) => sink(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,6:0.0}s] {message}"));
        torch.set_num_threads(request.Threads);

        var expanded = ArchExpansion.Expand(request.Arch);
        string archSha = ArchCanonicalText.Sha256Hex(request.Arch);
        var targets = ImagePathStructure.QuantTargets(expanded);
        var resolution = recipe.Resolve(request.Arch.Name, archSha, targets);
        TrainingDataSource? trainData = null;
        if (recipe.Method == QuantMethod.Qat)
        {
            if (string.IsNullOrEmpty(request.TrainDataPath))
                throw new ArgumentException($"recipe '{recipe.Name}' is a QAT recipe: give the training data with --data");
            trainData = new TrainingDataSource(CocoDataset.Load(request.TrainDataPath), request.Arch.ImageSize);
        }
        var calibration = CalibrationImages.Load(request.CalibrationPath, request.Arch.ImageSize);

        var weights = CheckpointReader.Read(request.CheckpointPath);
        using var model = new Sam2Model(request.Arch);
        model.LoadStateDict(weights, request.CheckpointPath);
        model.eval();
        using var reference = new Sam2Model(request.Arch);
        reference.LoadStateDict(weights, request.CheckpointPath);
        reference.eval();

        // 1. Calibration images.
        var vrcLayers = recipe.Vrc.Enabled ? VrcCalibrator.SelectLayers(model, targets, recipe.Vrc) : Array.Empty<string>();
        string selectionKey = string.Join("|", request.CheckpointPath, request.CalibrationPath, recipe.Calibration.Selection, recipe.Calibration.Images,
            recipe.Calibration.Candidates, SelectionLayer(model, targets, vrcLayers));
        var (indices, selectionText) = request.Cache is null
            ? ChooseImages(model, targets, vrcLayers, calibration, recipe.Calibration, log)
            : request.Cache.Selection(selectionKey, () => ChooseImages(model, targets, vrcLayers, calibration, recipe.Calibration, log));

        // 2. Variance-reduced calibration of the float weights.
        IReadOnlyList<VrcLayerReport> vrc = Array.Empty<VrcLayerReport>();
        if (recipe.Vrc.Enabled)
        {
            log($"VRC ({recipe.Vrc.Variant}, lambda {recipe.Vrc.Lambda} x {recipe.Vrc.Scale}) on {vrcLayers.Count} Linear layers over {indices.Count} images");
            vrc = request.Cache is null
                ? VrcCalibrator.Run(model, vrcLayers, calibration, indices, recipe.Vrc)
                : request.Cache.Vrc(selectionKey + "|" + recipe.Vrc, model, vrcLayers, () => VrcCalibrator.Run(model, vrcLayers, calibration, indices, recipe.Vrc));
        }

        // 3. Observe inputs and set up the quantizers.
        using var sim = QuantSimulator.Attach(model, resolution);
        log($"calibrating {sim.Layers.Count} quantized layers ({resolution.Layers.Count - sim.Layers.Count} kept float) on {indices.Count} images");
        string inputsKey = string.Join("|", selectionKey, recipe.Vrc.Enabled ? recipe.Vrc.ToString() : "no-vrc", recipe.Calibration.Seed, string.Join(",", sim.Layers.Select(l => l.Name)));
        var inputs = request.Cache is null
            ? ActivationCalibration.Observe(sim, calibration, indices, recipe.Calibration.Seed)
            : request.Cache.Inputs(inputsKey, () => ActivationCalibration.Observe(sim, calibration, indices, recipe.Calibration.Seed));

        var evaluation = EvaluationSet(request, calibration, indices, reference);
        double floatMIou = double.NaN, calibratedFloatMIou = double.NaN;
        if (evaluation is not null && request.EvaluateFloat)
        {
            floatMIou = evaluation.ReferenceName == "labels" ? evaluation.MIouPoints(reference) : 100.0;
            if (recipe.Vrc.Enabled) calibratedFloatMIou = evaluation.MIouPoints(model);
        }

        QatRunResult? qat = null;
        if (recipe.Method == QuantMethod.Ptq)
        {
            QuantizerSetup.Ptq(sim, inputs, recipe.Calibration);
        }
        else
        {
            QuantizerSetup.Qat(sim, inputs, recipe.Qat);
            log($"QAT ({recipe.Qat.Quantizer}) for {recipe.Qat.Steps} steps on {trainData!.Count} images");
            var trainer = new QatTrainer(sim, reference, trainData, recipe.Qat with { Threads = request.Threads }, RecipeKey(recipe, archSha), request.QatStateFolder);
            qat = trainer.Run(request.Resume, request.QatProgress, log, request.Cancel);
            if (!qat.Finished(recipe.Qat))
            {
                throw new OperationCanceledException(request.QatStateFolder is null
                    ? $"QAT stopped at step {qat.Steps}/{recipe.Qat.Steps}"
                    : $"QAT stopped at step {qat.Steps}/{recipe.Qat.Steps}; its state is in {request.QatStateFolder} (run again with --resume)");
            }
            // Activation statistics of the trained weights, for the report's input SQNR.
            inputs = ActivationCalibration.Observe(sim, calibration, indices, recipe.Calibration.Seed);
        }
        sim.SetMode(LayerMode.Quantize);

        log("exporting");
        // 4. Export.
        string weightsFile = request.Name + ".qsw";
        var export = QswExporter.Export(model, sim, expanded, $"{request.Arch.Name} {request.Name}");
        string weightsSha = Convert.ToHexStringLower(SHA256.HashData(export.Bytes));
        var provenance = new Dictionary<string, string>
        {
            ["checkpoint"] = Path.GetFileName(request.CheckpointPath),
            ["calibration_data"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.CalibrationPath)),
        };
        if (request.TrainDataPath is not null) provenance["training_data"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.TrainDataPath));
        string description = $"{request.Arch.Name} quantized with recipe {recipe.Name} ({RecipeProvenance.Summary(recipe)})";
        string specJson = QuantSpecWriter.Write(request.Name, description, request.Arch.Name, archSha, weightsFile, weightsSha, recipe, resolution, export.Layers, provenance);

        log("measuring the report");
        // 5. Report.
        var layers = LayerReports(sim, resolution, export, inputs, vrc);
        QuantEvalSummary? evalSummary = null;
        string sensitivityProtocol = "not measured (no evaluation images)";
        if (evaluation is not null)
        {
            var quantized = evaluation.Evaluate(model);
            evalSummary = new QuantEvalSummary(evaluation.Prompt.Name(), evaluation.ReferenceName, quantized.Images, quantized.Instances, floatMIou, calibratedFloatMIou, 100 * quantized.MIou);
            log($"mIoU ({evaluation.Prompt.Name()} prompts vs {evaluation.ReferenceName}, {quantized.Instances} objects): "
                + (double.IsNaN(floatMIou) ? "" : $"float {floatMIou:0.00}, ") + $"quantized {100 * quantized.MIou:0.00}");
            (layers, sensitivityProtocol) = Sensitivity(sim, evaluation, layers, request.SensitivityLayers, log);
        }
        var report = new QuantReport
        {
            Name = request.Name,
            Arch = request.Arch.Name,
            ArchSha256 = archSha,
            Checkpoint = request.CheckpointPath,
            RecipeSummary = RecipeProvenance.Summary(recipe),
            WeightsFile = weightsFile,
            WeightsSha256 = weightsSha,
            StructureHash = export.Layout.StructureHashHex,
            CalibrationImages = indices.Select(i => Path.GetFileName(calibration.PathOf(i))).ToList(),
            CalibrationSelection = selectionText,
            Layers = layers,
            Size = ModelSize.Of(export.Layout, resolution),
            Eval = evalSummary,
            SensitivityProtocol = sensitivityProtocol,
            QatSteps = qat?.Steps ?? 0,
            QatSeconds = qat?.Seconds ?? 0,
            QatLosses = qat?.Losses ?? Array.Empty<double>(),
            Seconds = watch.Elapsed.TotalSeconds,
        };
        return new QuantizeResult(request.Name, request.Name + ".quant.json", specJson, weightsFile, export.Bytes, weightsSha, report);
    }

    private static (IReadOnlyList<int> Indices, string Text) ChooseImages(Sam2Model model, IReadOnlyList<QuantTarget> targets, IReadOnlyList<string> vrcLayers,
        CalibrationImages calibration, CalibrationOptions options, Action<string> log)
    {
        int count = Math.Min(options.Images, calibration.Count);
        if (options.Selection == ImageSelection.First || count == calibration.Count)
            return (Enumerable.Range(0, count).ToList(), $"first {count} of {calibration.Count} images");
        string layer = SelectionLayer(model, targets, vrcLayers);
        int candidates = options.Candidates > 0 ? Math.Min(options.Candidates, calibration.Count) : calibration.Count;
        var pool = new CalibrationImages(Enumerable.Range(0, candidates).Select(calibration.PathOf).ToList(), calibration.ImageSize);
        log($"choosing {count} of {candidates} calibration images by the condition number of the input Gram matrix of {layer}");
        var selected = CalibrationImageSelector.ByConditionNumber(model, layer, pool, count);
        return (selected.Indices, $"{count} of {candidates} images, greedy by condition number of {layer} (final κ = {selected.ConditionNumbers[^1]:0.###e+0})");
    }

    /// <summary>Condition numbers are taken at the input of the first calibrated Linear (the first trunk Linear without VRC).</summary>
    private static string SelectionLayer(Sam2Model model, IReadOnlyList<QuantTarget> targets, IReadOnlyList<string> vrcLayers) =>
        vrcLayers.Count > 0 ? vrcLayers[0] : VrcCalibrator.SelectLayers(model, targets, new VrcOptions()).First();

    private static MaskEvaluation? EvaluationSet(QuantizeRequest request, CalibrationImages calibration, IReadOnlyList<int> indices, Sam2Model reference)
    {
        if (request.EvalImages < 0) return null;
        if (request.EvalPath is not null)
        {
            var images = EvalImageSet.Load(request.EvalPath);
            if (request.EvalImages > 0) images = images.Take(request.EvalImages).ToList();
            bool labelled = EvalImageSet.IsLabelled(request.EvalPath) && !request.AgainstFloat;
            // Unlabelled: agreement with the float model. The segmenter is not disposed: that would dispose the reference model.
            return labelled
                ? new MaskEvaluation(images, request.Prompt, null, "labels")
                : new MaskEvaluation(images, request.Prompt, new Sam2Segmenter(reference), "float model " + Path.GetFileName(request.CheckpointPath));
        }
        int n = request.EvalImages > 0 ? Math.Min(request.EvalImages, indices.Count) : indices.Count;
        var calib = indices.Take(n).Select((i, k) => new EvalImage(k, calibration.PathOf(i), () => Array.Empty<EvalObject>())).ToList();
        return new MaskEvaluation(calib, request.Prompt, new Sam2Segmenter(reference), "float model " + Path.GetFileName(request.CheckpointPath));
    }

    /// <summary>What a resumed QAT run must share with the saved one: recipe name, structure and settings, arch.</summary>
    private static string RecipeKey(QuantRecipe recipe, string archSha)
    {
        var w = new Spec.Json.JsonTextWriter();
        w.StartObject();
        RecipeProvenance.Write(w, "recipe", recipe with { Source = "", Sha256 = "" });
        w.EndObject();
        var rules = string.Join(";", recipe.Rules.Select(r => r.Pattern + "=" + r.Config));
        return Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(w + recipe.Defaults.ToString() + rules + archSha)));
    }
}
