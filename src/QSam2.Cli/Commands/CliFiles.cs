using QSam2.Spec.Arch;
using QSam2.Spec.Model;

namespace QSam2.Cli.Commands;

/// <summary>Input-file checks shared by the commands, so every "no such file" reads the same.</summary>
internal static class CliFiles
{
    public static string Existing(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliUsageException($"{option}: a file path is required");
        if (Directory.Exists(path)) throw new CliUsageException($"{option} {path}: is a directory, expected a file");
        if (!File.Exists(path)) throw new CliUsageException($"{option} {path}: file not found");
        return path;
    }

    /// <summary>A dataset argument: a folder (COCO or plain images) or a file that exists.</summary>
    public static string ExistingData(string path, string option)
    {
        if (!Directory.Exists(path) && !File.Exists(path)) throw new CliUsageException($"{option} {path}: not found");
        return path;
    }

    /// <summary>Reads and validates an arch spec (errors carry file, line and column).</summary>
    public static ArchSpec ReadArch(string? path, string option) => ArchSpecReader.ReadFile(Existing(path, option));
}
