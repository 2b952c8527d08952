using System.CommandLine;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Segmenter.Commands;
using QSam2.Segmenter.Models;

namespace QSam2.Segmenter;

/// <summary>
/// The <c>sam2seg</c> command tree and its error policy, callable in-process (tests pass their own writers and
/// catalog). Any user mistake — a parse error, a missing or unreadable file, a bad prompt, an unknown model — ends as
/// one line on stderr and exit code <see cref="ExitCodes.BadInput"/>, with nothing written; commands check every input
/// before producing output.
/// </summary>
public static class Sam2SegApp
{
    public static RootCommand BuildRootCommand(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var root = new RootCommand("sam2seg: SAM2 segmenters compiled for low-bit CPUs, weights built in");
        root.Add(ModelsCommand.Create(catalog));
        root.Add(SegmentCommand.Create(catalog));
        root.Add(AutoCommand.Create(catalog));
        root.Add(BenchCommand.Create(catalog));
        root.Add(PackFp32Command.Create(catalog));
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parse = BuildRootCommand(catalog).Parse(args);
        if (parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command.Name;
            string help = command == "sam2seg" || parse.CommandResult.Command is RootCommand ? "sam2seg --help" : $"sam2seg {command} --help";
            stderr.WriteLine($"sam2seg: {FirstLine(parse.Errors[0].Message)} (see '{help}')");
            return ExitCodes.BadInput;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e) when (IsUserError(e))
        {
            stderr.WriteLine("sam2seg: " + FirstLine(e.Message));
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            // Not the user's fault: keep the whole exception for the bug report.
            stderr.WriteLine("sam2seg: internal error: " + e);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Exceptions that describe bad input rather than a fault in sam2seg.</summary>
    private static bool IsUserError(Exception e) => e is UsageException or ImageFileException or CheckpointFormatException;

    internal static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? message : message[..nl].TrimEnd();
    }
}
