using System.CommandLine;

namespace QSam2.Cli.Commands;

/// <summary><c>qsam2 data …</c>: dataset tools (COCO format).</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Dataset tools (COCO instance-segmentation format)");
        command.Add(DataSynthCommand.Create());
        return command;
    }
}
