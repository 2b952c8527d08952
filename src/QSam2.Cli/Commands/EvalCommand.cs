using System.CommandLine;
using QSam2.Training.Evaluation;
using QSam2.Training.Quantization.Export;
using TorchSharp;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 eval --arch A (--checkpoint C | --quant X.quant.json) --data DIR --prompt box|point|points3 [--json OUT] [--against C2]</c>: mIoU over
/// instances, by COCO size class and by category (hardest first), and how well the predicted IoU tracks the true
/// IoU. With <c>--against C2</c> the reference is model C2's mask for the same prompt instead of the label, which
/// also works on a folder of unlabelled images (objects are then found by C2 from a grid of clicks).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "checkpoint to evaluate (.pt or .safetensors)" };
        var quant = new Option<string?>("--quant") { Description = "evaluate a quantized export instead: its .quant.json (the .qsw beside it is verified)" };
        var data = new Option<string>("--data") { Description = "COCO dataset folder, or (with --against) a folder of images", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "box | point | points3", DefaultValueFactory = _ => "box" };
        var json = new Option<string?>("--json") { Description = "also write the results as JSON to this file" };
        var against = new Option<string?>("--against") { Description = "reference checkpoint (same --arch) to measure agreement with, instead of labels" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => 1 };
        var command = new Command("eval", "Measure mIoU against labels, or agreement with another checkpoint")
        {
            arch, checkpoint, quant, data, prompt, json, against, threads,
        };
        command.SetAction(parse =>
        {
            var kind = ParseKind(parse.GetValue(prompt)!);
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string? quantPath = parse.GetValue(quant);
            if ((quantPath is null) == (parse.GetValue(checkpoint) is null)) throw new CliUsageException("give exactly one of --checkpoint or --quant");
            string ckpt = quantPath is null ? CliFiles.Existing(parse.GetValue(checkpoint), "--checkpoint") : CliFiles.Existing(quantPath, "--quant");
            string? reference = parse.GetValue(against);
            if (reference is not null) CliFiles.Existing(reference, "--against");
            string dataPath = parse.GetValue(data)!;
            if (!Directory.Exists(dataPath) && !File.Exists(dataPath)) throw new CliUsageException($"--data {dataPath}: not found");
            if (reference is null && !EvalImageSet.IsLabelled(dataPath))
                throw new CliUsageException($"--data {dataPath}: has no annotations.json; unlabelled images can only be compared with --against");
            string? jsonPath = parse.GetValue(json);
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new CliUsageException($"--threads must be at least 1 (got {threadCount})");
            torch.set_num_threads(threadCount);

            IReadOnlyList<EvalImage> images;
            try
            {
                images = EvalImageSet.Load(dataPath);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            using var model = quantPath is null ? Sam2Segmenter.Load(spec, ckpt) : QuantizedModelLoader.LoadSegmenter(spec, quantPath);
            using var referenceModel = reference is null ? null : Sam2Segmenter.Load(spec, reference);
            var stderr = parse.InvocationConfiguration.Error;
            int lastPercent = -1;
            var report = new SegmentationEvaluator().Evaluate(images, model, kind, referenceModel, reference ?? "labels", (done, total) =>
            {
                int percent = done * 100 / total;
                if (percent / 10 == lastPercent / 10 && done != total) return;
                lastPercent = percent;
                stderr.WriteLine($"eval: {done}/{total} images");
            });

            var stdout = parse.InvocationConfiguration.Output;
            stdout.Write(EvalReportWriter.ToText(report));
            if (jsonPath is not null)
            {
                var provenance = new Dictionary<string, string> { ["arch"] = spec.Name, [quantPath is null ? "checkpoint" : "quant"] = ckpt, ["data"] = dataPath };
                EvalReportWriter.WriteJson(jsonPath, report, provenance);
                stdout.WriteLine($"wrote {jsonPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static EvalPromptKind ParseKind(string text)
    {
        try
        {
            return EvalPromptKinds.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message, e);
        }
    }
}
