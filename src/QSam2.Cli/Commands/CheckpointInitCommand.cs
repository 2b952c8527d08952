using System.CommandLine;
using System.Globalization;
using QSam2.Runtime.Checkpoints;
using QSam2.Training.Modeling;
using TorchSharp;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 checkpoint init --arch A --seed N -o FILE.pt</c>: a randomly initialised model (official module
/// initialisation after <c>torch.manual_seed(N)</c>) saved as <c>{"model": state_dict}</c>; <c>.safetensors</c>
/// output writes a flat safetensors file instead. Written through a temporary file.
/// </summary>
internal static class CheckpointInitCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var seed = new Option<long>("--seed") { Description = "torch.manual_seed value", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output", "-o") { Description = "checkpoint file to write (.pt, or .safetensors)", Required = true };
        var command = new Command("init", "Write a randomly initialised checkpoint for an architecture") { arch, seed, output };
        command.SetAction(parse =>
        {
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string path = parse.GetValue(output)!;
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder)) throw new CliUsageException($"-o {path}: folder {folder} does not exist");
            if (Directory.Exists(path)) throw new CliUsageException($"-o {path}: is a directory, expected a file name");

            torch.manual_seed(parse.GetValue(seed));
            StateDict sd;
            using (var model = new Sam2Model(spec))
            {
                sd = model.ExportStateDict();
            }
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) SafetensorsWriter.Write(path, sd);
            else CheckpointWriter.Write(path, sd);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path}: {sd.Count} keys, {sd.TotalElements:N0} parameters ({spec.Name}, seed {parse.GetValue(seed)})"));
            return ExitCodes.Success;
        });
        return command;
    }
}
