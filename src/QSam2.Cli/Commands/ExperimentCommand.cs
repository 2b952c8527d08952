using System.CommandLine;
using System.Globalization;
using QSam2.Training.Evaluation;
using QSam2.Training.Quantization.Experiment;
using QSam2.Training.Quantization.Pipeline;
using QSam2.Training.Quantization.Qat;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 experiment --arch A --checkpoint C --calib DIR --data TRAIN --eval HELDOUT -o docs/results</c>: the paper's
/// comparison on one model (FP32, MinMax PTQ, PTQ + VRC, MinMax QAT, LSC QAT, VRC + LSC QAT × W8A8 … W2A4), written
/// as <c>experiment.md</c> and <c>experiment.json</c>. Finished cells are kept in <c>OUT/.experiment-work</c>, so an
/// interrupted run (Ctrl+C) continues where it stopped when started again with the same arguments.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "float checkpoint", Required = true };
        var calib = new Option<string>("--calib") { Description = "calibration images (COCO folder or image folder)", Required = true };
        var data = new Option<string>("--data") { Description = "COCO training set for QAT", Required = true };
        var eval = new Option<string>("--eval") { Description = "held-out COCO set (box-prompt mIoU against its labels)", Required = true };
        var evalImages = new Option<int>("--eval-images") { Description = "first N held-out images (0 = all)", DefaultValueFactory = _ => 100 };
        var configs = new Option<string>("--configs") { Description = "bit configurations", DefaultValueFactory = _ => "W8A8,W4A8,W4A4,W3A4,W2A4" };
        var methods = new Option<string>("--methods") { Description = "rows: " + string.Join(",", ExperimentMethods.All.Select(m => m.Key())), DefaultValueFactory = _ => string.Join(",", ExperimentMethods.All.Select(m => m.Key())) };
        var qatSteps = new Option<int>("--qat-steps") { Description = "QAT optimizer steps per cell", DefaultValueFactory = _ => 200 };
        var calibImages = new Option<int>("--calib-images") { Description = "calibration images per cell", DefaultValueFactory = _ => 50 };
        var lambda = new Option<double>("--vrc-lambda") { Description = "VRC λ relative to the mean eigenvalue of G", DefaultValueFactory = _ => 0.01 };
        var againstFloat = new Option<bool>("--against-float") { Description = "score masks against the FP32 model's masks (same prompts) instead of the labels" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (1 is fastest on a busy machine)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "folder for experiment.md and experiment.json", Required = true };
        var command = new Command("experiment", "Run the Q-SAM2 comparison (methods x bit-widths) and write experiment.md/.json")
        {
            arch, checkpoint, calib, data, eval, evalImages, configs, methods, qatSteps, calibImages, lambda, againstFloat, threads, output,
        };
        command.SetAction(parse =>
        {
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string ckpt = CliFiles.Existing(parse.GetValue(checkpoint), "--checkpoint");
            string calibPath = CliFiles.ExistingData(parse.GetValue(calib)!, "--calib");
            string dataPath = CliFiles.ExistingData(parse.GetValue(data)!, "--data");
            string evalPath = CliFiles.ExistingData(parse.GetValue(eval)!, "--eval");
            if (!EvalImageSet.IsLabelled(dataPath)) throw new CliUsageException($"--data {dataPath}: has no annotations.json");
            if (!EvalImageSet.IsLabelled(evalPath)) throw new CliUsageException($"--eval {evalPath}: has no annotations.json (the comparison is against labels)");
            int steps = parse.GetValue(qatSteps), nCalib = parse.GetValue(calibImages), nThreads = parse.GetValue(threads);
            if (steps < 1) throw new CliUsageException($"--qat-steps must be at least 1 (got {steps})");
            if (nCalib < 1) throw new CliUsageException($"--calib-images must be at least 1 (got {nCalib})");
            if (nThreads < 1) throw new CliUsageException($"--threads must be at least 1 (got {nThreads})");
            double lam = parse.GetValue(lambda);
            if (!(lam >= 0)) throw new CliUsageException($"--vrc-lambda must be >= 0 (got {lam})");
            IReadOnlyList<BitConfig> bitConfigs;
            IReadOnlyList<ExperimentMethod> rows;
            try
            {
                bitConfigs = parse.GetValue(configs)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(BitConfig.Parse).ToList();
                rows = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ExperimentMethods.ParseKey).ToList();
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            string work = Path.Combine(outDir, ".experiment-work");
            var stderr = parse.InvocationConfiguration.Error;
            var settings = new ExperimentSettings { CalibrationImages = nCalib, VrcLambda = lam };
            settings = settings with { Qat = settings.Qat with { Steps = steps, Threads = nThreads } };

            var result = CancellableRun.Run(stderr, "stopping after the current step; run the same command again to continue", cancel =>
            {
                var printer = new QatProgressPrinter(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected) { LogEverySteps = 50 };
                return ExperimentRunner.Run(new ExperimentRequest
                {
                    Arch = spec,
                    CheckpointPath = ckpt,
                    CalibrationPath = calibPath,
                    TrainDataPath = dataPath,
                    EvalPath = evalPath,
                    EvalImages = parse.GetValue(evalImages),
                    AgainstFloat = parse.GetValue(againstFloat),
                    Configs = bitConfigs,
                    Methods = rows,
                    Settings = settings,
                    Threads = nThreads,
                    Command = "qsam2 " + string.Join(" ", parse.Tokens.Select(t => t.Value)),
                    WorkFolder = work,
                    Log = m => stderr.WriteLine("experiment: " + m),
                    QatProgress = printer.Report,
                    Cancel = cancel,
                });
            });
            if (result is null) return ExitCodes.CheckFailed;

            Directory.CreateDirectory(outDir);
            WriteAtomically(Path.Combine(outDir, "experiment.json"), result.ToJson());
            WriteAtomically(Path.Combine(outDir, "experiment.md"), ExperimentReportWriter.ToMarkdown(result));
            Directory.Delete(work, recursive: true);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Path.Combine(outDir, "experiment.md")} and experiment.json ({result.Cells.Count} cells, {result.Seconds / 60:0} min)"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteAtomically(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
