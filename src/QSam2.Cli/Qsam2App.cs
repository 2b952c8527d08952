using System.CommandLine;
using QSam2.Cli.Commands;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Diagnostics;

namespace QSam2.Cli;

/// <summary>
/// The <c>qsam2</c> command tree and its error policy, callable in-process (tests pass their own writers).
/// Any user mistake — a parse error, a missing or invalid file, a bad prompt — ends as one line on stderr and
/// exit code <see cref="ExitCodes.BadInput"/>; commands write their outputs only after everything succeeded.
/// </summary>
public static class Qsam2App
{
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("qsam2: SAM2 low-bit quantization compiler (model info, checkpoints, float reference prediction)");
        root.Add(InfoCommand.Create());
        root.Add(CheckpointCommand.Create());
        root.Add(PredictCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(EvalCommand.Create());
        root.Add(DataCommand.Create());
        root.Add(QuantizeCommand.Create());
        root.Add(ExperimentCommand.Create());
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parse = BuildRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            string command = parse.CommandResult.Command.Name;
            stderr.WriteLine($"qsam2: {parse.Errors[0].Message} (see 'qsam2 {(command == "qsam2" ? "" : command + " ")}--help')".Replace("  ", " ", StringComparison.Ordinal));
            return ExitCodes.BadInput;
        }
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e) when (IsUserError(e))
        {
            stderr.WriteLine("qsam2: " + FirstLine(e.Message));
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Exceptions that describe bad input rather than a bug in qsam2.</summary>
    private static bool IsUserError(Exception e) => e is CliUsageException or SpecException or ImageFileException
        or CheckpointFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
        or UnauthorizedAccessException or Training.Inference.PromptValidationException or Runtime.Coco.CocoFormatException;

    internal static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? message : message[..nl].TrimEnd();
    }
}
