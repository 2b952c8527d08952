using System.CommandLine;
using System.Globalization;
using QSam2.Cli.Output;
using QSam2.Training.Data;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 data synth -o DIR --count N --seed S [--image-size 256]</c>: writes the synthetic shapes
/// dataset (<c>DIR/annotations.json</c> + <c>DIR/images/*.png</c>). It is generated in a staging folder
/// and moved into place at the end, so a failed or interrupted run leaves no half dataset; an existing
/// non-empty DIR is refused rather than mixed with.
/// </summary>
internal static class DataSynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "dataset folder to create", Required = true };
        var count = new Option<int>("--count") { Description = "number of images", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "random seed; the same seed gives identical files", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--image-size") { Description = "base image side in pixels (some images are non-square around it)", DefaultValueFactory = _ => 256 };
        var command = new Command("synth", "Generate a synthetic COCO-format instance-segmentation dataset") { output, count, seed, size };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            int n = parse.GetValue(count);
            int side = parse.GetValue(size);
            if (n < 1) throw new CliUsageException($"--count {n}: must be at least 1");
            if (side is < 32 or > 4096) throw new CliUsageException($"--image-size {side}: must be between 32 and 4096");
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                throw new CliUsageException($"-o {target}: folder exists and is not empty; choose a new folder");
            }

            using var staged = new StagedOutputDirectory(target);
            var summary = SyntheticDataset.Generate(staged.StagingPath, n, parse.GetValue(seed), side);
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty (checked above): let Commit move the whole staged tree into place
            }

            staged.Commit();
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {target}: {summary.Images} images, {summary.Annotations} objects, {SyntheticCategories.All.Count} categories (seed {parse.GetValue(seed)})"));
            return ExitCodes.Success;
        });
        return command;
    }
}
