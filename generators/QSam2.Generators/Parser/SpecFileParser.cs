using QSam2.Generators.Model;
using QSam2.Spec.Arch;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Parser;

/// <summary>
/// Parses one spec AdditionalFile with the shared QSam2.Spec readers (the same code the CLI and the training side
/// use) and converts their problems into located diagnostics. Runs once per file text.
/// </summary>
internal static class SpecFileParser
{
    public static SpecFile Parse(string path, string? text)
    {
        var file = new SpecFile { Path = path, FileName = SpecFileKinds.FileNameOf(path) };
        if (text is null)
        {
            return file with
            {
                Diagnostics = new[] { new DiagnosticInfo(SpecErrorCodes.FileUnreadable, path + ": the spec file cannot be read", LocationInfo.InSpecFile(path, TextPosition.Start, 0)) },
            };
        }
        try
        {
            if (file.IsArch)
            {
                var arch = ArchSpecReader.Read(text, path);
                return file with { Arch = arch, ArchSha256 = ArchCanonicalText.Sha256Hex(arch) };
            }
            var quant = QuantSpecReader.TryRead(text, path, out var problems);
            return file with { Quant = quant, Diagnostics = problems.Select(p => DiagnosticInfo.FromSpec(p, path)).ToArray() };
        }
        catch (SpecException e)
        {
            return file with { Diagnostics = e.Diagnostics.Select(p => DiagnosticInfo.FromSpec(p, path)).ToArray() };
        }
    }
}
