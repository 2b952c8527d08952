using System.CommandLine;

namespace QSam2.Cli.Commands;

/// <summary><c>qsam2 checkpoint init|verify</c>: make and check checkpoints in the official SAM2 layout.</summary>
internal static class CheckpointCommand
{
    public static Command Create()
    {
        var command = new Command("checkpoint", "Create or verify SAM2 checkpoints (official .pt layout)");
        command.Add(CheckpointInitCommand.Create());
        command.Add(CheckpointVerifyCommand.Create());
        return command;
    }
}
