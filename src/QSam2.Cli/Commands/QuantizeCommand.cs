using System.CommandLine;
using System.Globalization;
using QSam2.Cli.Output;
using QSam2.Training.Evaluation;
using QSam2.Training.Quantization.Pipeline;
using QSam2.Training.Quantization.Qat;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Reporting;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 quantize --arch A --checkpoint C --calib DIR --recipe R [--data TRAIN] [--eval DIR] -o OUT</c>: runs the
/// recipe (calibration, VRC, PTQ or QAT) and writes <c>OUT/&lt;name&gt;.quant.json</c>, <c>&lt;name&gt;.qsw</c>,
/// <c>&lt;name&gt;.report.md</c> and <c>.report.json</c>, staged and moved into OUT only when all exist. A QAT run keeps a
/// resumable state in <c>OUT/.qat-state/&lt;name&gt;</c> until it finishes; Ctrl+C stops it after the current step.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "float checkpoint (.pt or .safetensors)", Required = true };
        var calib = new Option<string>("--calib") { Description = "calibration images: COCO folder or folder of images", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "recipe file (specs/recipes/*.recipe.json)", Required = true };
        var data = new Option<string?>("--data") { Description = "COCO training set (QAT recipes)" };
        var eval = new Option<string?>("--eval") { Description = "evaluation images for the report: COCO folder (mIoU vs labels) or image folder (vs the float model); default: the calibration images, vs the float model" };
        var evalImages = new Option<int>("--eval-images") { Description = "at most this many evaluation images (0 = all, -1 = no evaluation)", DefaultValueFactory = _ => 20 };
        var sensitivity = new Option<int>("--sensitivity-layers") { Description = "measure the single-layer mIoU drop of this many lowest-SQNR layers (0 = skip)", DefaultValueFactory = _ => 8 };
        var name = new Option<string?>("--name") { Description = "name of the exported files (default: <arch>.<recipe name>)" };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted QAT run from OUT/.qat-state/<name>" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (1 is fastest on a busy machine)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "output folder (created if missing)", Required = true };
        var command = new Command("quantize", "Quantize a model with a recipe (VRC calibration, PTQ or LSC/MinMax QAT) and export .quant.json + .qsw + report")
        {
            arch, checkpoint, calib, recipe, data, eval, evalImages, sensitivity, name, resume, threads, output,
        };
        command.SetAction(parse =>
        {
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string ckpt = CliFiles.Existing(parse.GetValue(checkpoint), "--checkpoint");
            var r = QuantRecipeReader.ReadFile(CliFiles.Existing(parse.GetValue(recipe), "--recipe"));
            string calibPath = CliFiles.ExistingData(parse.GetValue(calib)!, "--calib");
            string? dataPath = parse.GetValue(data);
            if (r.Method == QuantMethod.Qat)
            {
                if (dataPath is null) throw new CliUsageException($"--data is required: recipe '{r.Name}' trains (QAT) and needs a COCO training set");
                CliFiles.ExistingData(dataPath, "--data");
                if (!EvalImageSet.IsLabelled(dataPath)) throw new CliUsageException($"--data {dataPath}: has no annotations.json (QAT needs labelled objects)");
            }
            string? evalPath = parse.GetValue(eval);
            if (evalPath is not null) CliFiles.ExistingData(evalPath, "--eval");
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new CliUsageException($"--threads must be at least 1 (got {threadCount})");
            string fileName = parse.GetValue(name) ?? spec.Name + "." + r.Name;
            if (fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fileName.Length == 0)
                throw new CliUsageException($"--name '{fileName}' is not a valid file name");
            string outDir = parse.GetValue(output)!;
            string stateFolder = Path.Combine(Path.GetFullPath(outDir), ".qat-state", fileName);
            var stderr = parse.InvocationConfiguration.Error;
            var stdout = parse.InvocationConfiguration.Output;

            var result = CancellableRun.Run(stderr, "stopping after the current QAT step (state is saved; continue with --resume)", cancel =>
            {
                var printer = new QatProgressPrinter(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
                return QuantizePipeline.Run(new QuantizeRequest
                {
                    Arch = spec,
                    CheckpointPath = ckpt,
                    Recipe = r,
                    CalibrationPath = calibPath,
                    TrainDataPath = dataPath,
                    EvalPath = evalPath,
                    EvalImages = parse.GetValue(evalImages),
                    SensitivityLayers = parse.GetValue(sensitivity),
                    Name = fileName,
                    QatStateFolder = r.Method == QuantMethod.Qat ? stateFolder : null,
                    Resume = parse.GetValue(resume),
                    Threads = threadCount,
                    Log = m => stderr.WriteLine("quantize: " + m),
                    QatProgress = printer.Report,
                    Cancel = cancel,
                });
            });
            if (result is null) return ExitCodes.CheckFailed;

            using (var staged = new StagedOutputDirectory(outDir))
            {
                File.WriteAllBytes(staged.File(result.WeightsFileName), result.Weights);
                File.WriteAllText(staged.File(result.SpecFileName), result.SpecJson);
                File.WriteAllText(staged.File(result.ReportMarkdownFileName), QuantReportWriter.ToMarkdown(result.Report));
                File.WriteAllText(staged.File(result.ReportJsonFileName), QuantReportWriter.ToJson(result.Report));
                staged.Commit();
            }
            if (Directory.Exists(stateFolder)) Directory.Delete(stateFolder, recursive: true);
            var rep = result.Report;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Path.Combine(outDir, result.SpecFileName)}, {result.WeightsFileName} ({rep.Size.QuantizedBytes / 1024.0:0.0} KiB packed, {rep.Size.Ratio:0.0}x smaller than float32), {result.ReportMarkdownFileName}, {result.ReportJsonFileName}"));
            if (rep.Eval is { } ev)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mIoU ({ev.Prompt} vs {ev.Reference}, {ev.Instances} objects): float {ev.FloatMIou:0.00}, quantized {ev.QuantizedMIou:0.00}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
