using System.CommandLine;
using QSam2.Runtime.Checkpoints;
using QSam2.Segmenter.Models;

namespace QSam2.Segmenter.Commands;

/// <summary>
/// <c>sam2seg pack-fp32 CHECKPOINT [--model mini-fp32] -o FILE.qsw</c> (hidden, for maintainers): writes the .qsw an FP32
/// model embeds, from a trained checkpoint (<see cref="Fp32QswPacker"/>). Used by regenerate-weights.sh.
/// </summary>
internal static class PackFp32Command
{
    public static Command Create(ModelCatalog catalog)
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "checkpoint (.pt zip or .safetensors) in the official layout" };
        var model = new Option<string>("--model", "-m") { Description = "FP32 model whose layout to write", DefaultValueFactory = _ => "mini-fp32" };
        var output = new Option<string>("--output", "-o") { Description = ".qsw file to write", Required = true };
        var command = new Command("pack-fp32", "Pack a checkpoint into the .qsw of an FP32 model") { checkpoint, model, output };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var m = catalog.Find(parse.GetValue(model)!);
            if (!m.Precision.IsFloat32) throw new UsageException($"--model {m.Name}: is {m.Precision}; pack-fp32 writes FP32 models only (quantized .qsw files come from 'qsam2 quantize')");
            string path = parse.GetValue(checkpoint)!;
            if (!File.Exists(path)) throw new UsageException($"{path}: checkpoint not found");
            var bytes = Fp32QswPacker.Pack(CheckpointReader.Read(path), m.Layout, path);
            string target = Path.GetFullPath(parse.GetValue(output)!);
            string temp = target + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target, overwrite: true);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {target} ({Output.ByteSize.Format(bytes.Length)}, structure {m.StructureHashHex})");
            return ExitCodes.Success;
        });
        return command;
    }
}
