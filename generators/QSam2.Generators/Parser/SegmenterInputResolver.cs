using QSam2.Generators.Diagnostics;
using QSam2.Generators.Model;

namespace QSam2.Generators.Parser;

/// <summary>
/// Joins a request with the parsed spec files it names. Attribute arguments are matched by file name (a
/// directory part, if given, disambiguates files that share a name). Reports class-shape problems, missing,
/// ambiguous or wrong-kind files, and carries the spec files' own parse problems.
/// </summary>
internal static class SegmenterInputResolver
{
    public static SegmenterInput Resolve(SegmenterRequest request, ImmutableArray<SpecFile> files)
    {
        var diagnostics = new List<DiagnosticInfo>();
        if (!request.IsPartial)
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.ClassNotPartial, $"class {request.ClassName} must be declared partial to receive the generated segmenter", request.ClassLocation));
        if (request.IsNestedOrGeneric)
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnsupportedClassShape, $"class {request.ClassName} must be a top-level, non-generic class", request.ClassLocation));

        var arch = Find(request.ArchFile, SpecFileKinds.ArchSuffix, "architecture", request.ArchArgumentLocation, files, diagnostics);
        SpecFile? quant = null;
        if (request.QuantFile is not null)
            quant = Find(request.QuantFile, SpecFileKinds.QuantSuffix, "quantization", request.QuantArgumentLocation, files, diagnostics);

        if (arch is not null) diagnostics.AddRange(arch.Diagnostics);
        if (quant is not null) diagnostics.AddRange(quant.Diagnostics);
        return new SegmenterInput(request, arch, quant, diagnostics.ToArray());
    }

    private static SpecFile? Find(string requested, string suffix, string what, LocationInfo? at, ImmutableArray<SpecFile> files, List<DiagnosticInfo> diagnostics)
    {
        if (!requested.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.WrongSpecKind, $"\"{requested}\" is not an {what} spec: the file name must end in {suffix}", at));
            return null;
        }
        var name = SpecFileKinds.FileNameOf(requested);
        var candidates = files.Where(f => string.Equals(f.FileName, name, StringComparison.Ordinal)).ToList();
        if (candidates.Count > 1 && requested.Length > name.Length)
        {
            var tail = requested.Replace('\\', '/');
            candidates = candidates.Where(f => f.Path.Replace('\\', '/').EndsWith("/" + tail, StringComparison.Ordinal) || f.Path.Replace('\\', '/') == tail).ToList();
        }
        if (candidates.Count == 1) return candidates[0];
        if (candidates.Count == 0)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.SpecFileNotFound,
                $"{what} spec \"{requested}\" is not among the project's AdditionalFiles (add <AdditionalFiles Include=\"...{name}\" />)", at));
        }
        else
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.AmbiguousSpecFile,
                $"{what} spec \"{requested}\" matches {candidates.Count} AdditionalFiles ({string.Join(", ", candidates.Select(c => c.Path))}); give a directory to disambiguate", at));
        }
        return null;
    }
}
