using System.CommandLine;
using System.Globalization;
using System.Text;
using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Arch.Expansion;
using QSam2.Training.Modeling;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 checkpoint verify --arch A FILE</c>: exit 0 only when FILE loads strictly into architecture A
/// (same key set, same shapes, float32, readable container). Otherwise it names the problem — unreadable or
/// truncated file, missing / unexpected / mis-shaped keys — and exits 1.
/// </summary>
internal static class CheckpointVerifyCommand
{
    /// <summary>Keys listed per category before "… and N more", so another architecture's checkpoint stays readable.</summary>
    private const int MaxListed = 10;

    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var file = new Argument<string>("checkpoint") { Description = "checkpoint to verify (.pt or .safetensors)" };
        var command = new Command("verify", "Check that a checkpoint loads strictly into an architecture") { arch, file };
        command.SetAction(parse =>
        {
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string path = CliFiles.Existing(parse.GetValue(file), "checkpoint");
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;

            StateDict sd;
            try
            {
                sd = CheckpointReader.Read(path);
            }
            catch (CheckpointFormatException e)
            {
                stderr.WriteLine($"qsam2: {e.Message}");
                return ExitCodes.CheckFailed;
            }

            // The architecture expansion is the single source of key names and shapes.
            var expected = ArchExpansion.Expand(spec).StateDictInventory.Select(entry => (entry.Key, entry.Shape.ToArray()));
            var check = StateDictCheck.Strict(sd, expected);
            if (!check.IsMatch)
            {
                stderr.Write(Describe(path, spec.Name, check));
                return ExitCodes.CheckFailed;
            }

            // Then the real strict load into the TorchSharp model, which is what every consumer does.
            using (var model = new Sam2Model(spec))
            {
                model.LoadStateDict(sd, path);
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: OK, loads strictly into {spec.Name} ({sd.Count} keys, {sd.TotalElements:N0} parameters, SAM {SamCheckpointVersion.Detect(sd)})"));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Describe(string path, string archName, StateDictCheckResult check)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"qsam2: {path} does not match {archName}: {check.Missing.Count} missing, {check.Unexpected.Count} unexpected, {check.Mismatched.Count} mis-shaped key(s)\n");
        List("missing key", check.Missing, sb);
        List("unexpected key", check.Unexpected, sb);
        List("size mismatch for", check.Mismatched.Select(m => m.ToString()).ToList(), sb);
        return sb.ToString();
    }

    private static void List(string label, IReadOnlyList<string> items, StringBuilder sb)
    {
        foreach (var item in items.Take(MaxListed)) sb.Append("  ").Append(label).Append(' ').Append(item).Append('\n');
        if (items.Count > MaxListed) sb.Append(CultureInfo.InvariantCulture, $"  … and {items.Count - MaxListed} more {label} entries\n");
    }
}
