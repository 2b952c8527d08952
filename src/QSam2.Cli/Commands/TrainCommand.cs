using System.CommandLine;
using System.Globalization;
using QSam2.Runtime.Coco;
using QSam2.Training.Training;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 train --arch A --data DIR -o CKPT [--epochs N] [--batch-size B] [--resume] ...</c>: trains the SAM2 image
/// path on a COCO dataset with SAM2's losses and prompt sampling (AdamW, warmup + cosine decay). Writes CKPT in the
/// official layout at every epoch end, plus <c>CKPT.optim</c> and <c>CKPT.train.json</c> to resume from; Ctrl+C
/// saves the current step and stops. Progress (loss, learning rate, ETA) goes to stderr.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainOptions();
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var data = new Option<string>("--data") { Description = "COCO dataset folder (annotations.json + images) or annotation file", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "checkpoint to write (.pt, official layout); the training state goes beside it", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "passes over the training images", DefaultValueFactory = _ => defaults.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "images per optimizer step", DefaultValueFactory = _ => defaults.BatchSize };
        var objects = new Option<int>("--objects-per-image") { Description = "objects sampled per image per step", DefaultValueFactory = _ => defaults.ObjectsPerImage };
        var resume = new Option<bool>("--resume") { Description = "continue the run saved at -o (starts fresh if there is none)" };
        var lr = new Option<double>("--lr") { Description = "peak learning rate (AdamW)", DefaultValueFactory = _ => defaults.LearningRate };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not on biases and norms)", DefaultValueFactory = _ => defaults.WeightDecay };
        var warmup = new Option<int>("--warmup-steps") { Description = "linear warmup steps", DefaultValueFactory = _ => defaults.WarmupSteps };
        var encoderLr = new Option<double>("--encoder-lr-scale") { Description = "learning-rate multiplier for the image encoder", DefaultValueFactory = _ => defaults.EncoderLrScale };
        var focalWarmup = new Option<int>("--focal-warmup-steps") { Description = "ramp the focal-loss weight up over this many steps", DefaultValueFactory = _ => defaults.FocalWarmupSteps };
        var seed = new Option<int>("--seed") { Description = "seed of initial weights, data order and prompts", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => defaults.Threads };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop (resumably) after this many steps in total" };
        var saveEvery = new Option<int>("--save-every") { Description = "also save every N steps (0: only at epoch ends)", DefaultValueFactory = _ => 0 };
        var sam2Loss = LossWeights.Sam2;
        var focalWeight = new Option<double>("--focal-weight") { Description = "weight of the focal mask loss (SAM2: 20)", DefaultValueFactory = _ => sam2Loss.Focal };
        var focalAlpha = new Option<double>("--focal-alpha") { Description = "focal alpha (SAM2: 0.25; negative: no class weighting)", DefaultValueFactory = _ => sam2Loss.FocalAlpha };
        var focalGamma = new Option<double>("--focal-gamma") { Description = "focal gamma (SAM2: 2; with --focal-alpha -1 and gamma 0 the term is plain BCE)", DefaultValueFactory = _ => sam2Loss.FocalGamma };
        var boxProbability = new Option<double>("--box-probability") { Description = "probability that an image's objects are prompted with boxes rather than clicks", DefaultValueFactory = _ => defaults.Prompts.BoxProbability };
        var correctionProbability = new Option<double>("--correction-probability") { Description = "probability that an image gets a correction click after its first prediction", DefaultValueFactory = _ => defaults.Prompts.CorrectionProbability };
        var clicksFirst = new Option<int>("--clicks-first-steps") { Description = "curriculum: click prompts only for this many steps, then --box-probability", DefaultValueFactory = _ => defaults.ClicksFirstSteps };
        var maxClicks = new Option<int>("--max-clicks") { Description = "click prompts have 1..N clicks", DefaultValueFactory = _ => defaults.Prompts.MaxClicks };
        var boxHint = new Option<int>("--box-hint-steps") { Description = "curriculum: box prompts also carry their box as a mask prompt, fading out over this many steps", DefaultValueFactory = _ => defaults.BoxHintSteps };
        var gradClip = new Option<double>("--grad-clip") { Description = "gradient L2-norm clip (0: none)", DefaultValueFactory = _ => defaults.GradientClip };
        var init = new Option<string?>("--init") { Description = "start from these weights (.pt or .safetensors of the same arch) instead of random ones, e.g. to fine-tune models/sam2_mini/sam2_mini.pt on your data" };
        var lossResolution = new Option<int?>("--loss-resolution") { Description = "side at which mask losses are computed (default: the model input size)" };
        var command = new Command("train", "Train the SAM2 image path on a COCO dataset (SAM2 losses and prompt sampling; resumable)")
        {
            arch, data, output, epochs, batch, objects, resume, lr, weightDecay, warmup, encoderLr, focalWarmup, seed, threads, maxSteps, saveEvery,
            focalWeight, focalAlpha, focalGamma, boxProbability, correctionProbability, maxClicks, clicksFirst, boxHint, gradClip, lossResolution, init,
        };
        command.SetAction(parse =>
        {
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string dataPath = parse.GetValue(data)!;
            if (!Directory.Exists(dataPath) && !File.Exists(dataPath)) throw new CliUsageException($"--data {dataPath}: not found");
            string ckpt = parse.GetValue(output)!;
            if (Directory.Exists(ckpt)) throw new CliUsageException($"-o {ckpt}: is a directory, expected a checkpoint file name");
            var options = new TrainOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                ObjectsPerImage = parse.GetValue(objects),
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(weightDecay),
                WarmupSteps = parse.GetValue(warmup),
                EncoderLrScale = parse.GetValue(encoderLr),
                FocalWarmupSteps = parse.GetValue(focalWarmup),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                MaxSteps = parse.GetValue(maxSteps),
                InitCheckpoint = parse.GetValue(init) is { } initPath ? CliFiles.Existing(initPath, "--init") : null,
                SaveEverySteps = parse.GetValue(saveEvery),
                LossResolution = parse.GetValue(lossResolution),
                Loss = sam2Loss with
                {
                    Focal = parse.GetValue(focalWeight),
                    FocalAlpha = parse.GetValue(focalAlpha),
                    FocalGamma = parse.GetValue(focalGamma),
                },
                GradientClip = parse.GetValue(gradClip),
                ClicksFirstSteps = parse.GetValue(clicksFirst),
                BoxHintSteps = parse.GetValue(boxHint),
                Prompts = defaults.Prompts with
                {
                    BoxProbability = parse.GetValue(boxProbability),
                    CorrectionProbability = parse.GetValue(correctionProbability),
                    MaxClicks = parse.GetValue(maxClicks),
                },
            };
            var stderr = parse.InvocationConfiguration.Error;
            var bar = new ConsoleProgressBar(ReferenceEquals(stderr, Console.Error) ? null : stderr);
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // First Ctrl+C: finish the step, save, stop. A second one kills the process as usual.
                if (cancel.IsCancellationRequested) return;
                e.Cancel = true;
                cancel.Cancel();
                bar.Message("stopping after this step (saving a resumable state)...");
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                TrainingRunResult result;
                try
                {
                    options.Validate();
                    var source = new TrainingDataSource(CocoDataset.Load(dataPath), spec.ImageSize);
                    var trainer = new Sam2Trainer(spec, source, options, ckpt);
                    result = trainer.Run(parse.GetValue(resume), bar.Report, bar.Message, cancel.Token);
                }
                catch (ArgumentException e)
                {
                    throw new CliUsageException(e.Message, e);
                }
                var stdout = parse.InvocationConfiguration.Output;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(result.Finished ? "finished" : "stopped")} at step {result.Step}/{result.TotalSteps} after {ConsoleProgressBar.Duration(result.ElapsedSeconds)} of training: {ckpt}"));
                if (!result.Finished) stdout.WriteLine($"continue with the same command and --resume");
                return ExitCodes.Success;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }
}
