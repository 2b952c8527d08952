using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 info &lt;arch.json&gt; [--json] [--keys] [--image-size N]</c>: parameter counts per component and in
/// total, state-dict key count and image-encoder GMACs, straight from the architecture expansion (no weights needed).
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var arch = new Argument<string>("arch") { Description = "architecture spec file (specs/arch/<name>.arch.json)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object instead of text" };
        var keys = new Option<bool>("--keys") { Description = "also list every state-dict key with its shape" };
        var imageSize = new Option<int?>("--image-size") { Description = "input side for MACs (default: the spec's image_size)" };
        var command = new Command("info", "Show parameter counts, state-dict keys and MACs of an architecture") { arch, json, keys, imageSize };
        command.SetAction(parse =>
        {
            int? size = parse.GetValue(imageSize);
            if (size is <= 0) throw new CliUsageException($"--image-size {size}: must be a positive integer");
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "arch");
            var expanded = ArchExpansion.Expand(spec, size);
            var output = parse.InvocationConfiguration.Output;
            output.Write(parse.GetValue(json) ? ToJson(expanded, parse.GetValue(keys)) : ToText(expanded, parse.GetValue(keys)));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Component name in reports: its state-dict prefix, or <c>top_level</c> for SAM2Base's own tensors.</summary>
    private static string ComponentName(ComponentParameterCount c) => c.Prefix.Length == 0 ? "top_level" : c.Prefix;

    private static double Gmacs(long macs) => macs / 1e9;

    internal static string ToJson(ExpandedArch arch, bool withKeys)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", arch.Spec.Name);
            w.WriteNumber("image_size", arch.ImageSize);
            w.WriteNumber("total_parameters", arch.TotalParameters);
            w.WriteNumber("state_dict_keys", arch.StateDictKeyCount);
            w.WriteStartObject("components");
            foreach (var c in arch.ComponentParameterCounts) w.WriteNumber(ComponentName(c), c.Parameters);
            w.WriteEndObject();
            w.WriteNumber("image_encoder_gmacs", Math.Round(Gmacs(arch.ImageEncoderMacs), 3));
            w.WriteNumber("image_path_gmacs", Math.Round(Gmacs(arch.Macs.ImagePath), 3));
            if (withKeys)
            {
                w.WriteStartObject("keys");
                foreach (var entry in arch.StateDictInventory)
                {
                    w.WriteStartArray(entry.Key);
                    foreach (var d in entry.Shape) w.WriteNumberValue(d);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    internal static string ToText(ExpandedArch arch, bool withKeys)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{arch.Spec.Name} (SAM {arch.Spec.SamVersion}), input {arch.ImageSize}×{arch.ImageSize}, image embedding {arch.EmbeddingSize}×{arch.EmbeddingSize}");
        sb.AppendLine("parameters per component:");
        foreach (var p in arch.ComponentParameterCounts)
        {
            sb.AppendLine(c, $"  {ComponentName(p),-22} {p.Parameters,14:N0}  ({p.Keys} keys)");
        }
        sb.AppendLine(c, $"  {"total",-22} {arch.TotalParameters,14:N0}  ({arch.StateDictKeyCount} keys)");
        sb.AppendLine(c, $"image encoder: {Gmacs(arch.ImageEncoderMacs):F3} GMACs; image path (encoder + high-res convs + one decode): {Gmacs(arch.Macs.ImagePath):F3} GMACs");
        if (withKeys)
        {
            sb.AppendLine("state-dict keys:");
            foreach (var e in arch.StateDictInventory) sb.AppendLine(c, $"  {e.Key} [{string.Join(", ", e.Shape)}]");
        }
        return sb.ToString();
    }
}
