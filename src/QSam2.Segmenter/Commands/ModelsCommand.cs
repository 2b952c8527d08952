using System.CommandLine;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;

namespace QSam2.Segmenter.Commands;

/// <summary><c>sam2seg models</c>: one line per built-in model with its bits, embedded weight size and structure hash.</summary>
internal static class ModelsCommand
{
    public static Command Create(ModelCatalog catalog)
    {
        var command = new Command("models", "List the built-in models: bits, embedded weight size, structure hash");
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"{"model",-11} {"bits",-5} {"weights",10}  structure hash");
            foreach (var m in catalog.Models)
            {
                string size = m.Weights.Length is long n ? ByteSize.Format(n) : "missing";
                string mark = m.Name == catalog.DefaultModel ? " (default)" : "";
                o.WriteLine($"{m.Name,-11} {m.Precision,-5} {size,10}  {m.StructureHashHex}{mark}");
                o.WriteLine($"{"",-11} {m.Description}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
