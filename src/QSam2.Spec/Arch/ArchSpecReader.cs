using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;
using QSam2.Spec.Model;
using QSam2.Spec.Schema;

namespace QSam2.Spec.Arch;

/// <summary>
/// Reads <c>*.arch.json</c> into an <see cref="ArchSpec"/>: JSON names are the snake_case of the record
/// properties, omitted fields keep SAM2's defaults, unknown fields and wrong types are errors with file,
/// line, column and field path. <see cref="Read"/> validates by default (<see cref="ArchSpecValidator"/>).
/// File access lives in <c>ArchSpecReader.Files.cs</c> so the Roslyn generator can link this file without it.
/// </summary>
public static partial class ArchSpecReader
{
    public const string FileSuffix = ".arch.json";

    /// <summary>Parses and binds without validating. Throws <see cref="SpecException"/> listing every syntax/schema problem.</summary>
    /// <param name="json">File contents.</param>
    /// <param name="fileName">Path or name used in messages; when it ends in <c>.arch.json</c> the spec's <c>name</c> must equal its stem.</param>
    public static ArchSpecDocument Parse(string json, string fileName)
    {
        var root = JsonParser.Parse(json, fileName);
        var ctx = new BindContext(fileName);
        var spec = ArchSchema.Root.Bind(root, new ArchSpec(), "", ctx);
        var map = ctx.BuildSourceMap();
        CheckNameMatchesFile(spec, fileName, map, ctx);
        ctx.ThrowIfErrors();
        var description = (root as JsonObject)?.Find("description")?.Value is JsonString d ? d.Value : "";
        return new ArchSpecDocument(spec, fileName, map, description);
    }

    /// <summary>Parses, binds and (by default) validates. Throws <see cref="SpecException"/> on any problem.</summary>
    public static ArchSpec Read(string json, string fileName, bool validate = true)
    {
        var doc = Parse(json, fileName);
        if (validate) ArchSpecValidator.ThrowIfInvalid(doc);
        return doc.Spec;
    }

    /// <summary>
    /// Non-throwing form for hosts that report problems themselves (the Roslyn generator): the document when the
    /// text reads (and, if <paramref name="validate"/>, validates) cleanly, and every diagnostic found.
    /// </summary>
    public static (ArchSpecDocument? Document, IReadOnlyList<SpecDiagnostic> Diagnostics) TryRead(string json, string fileName, bool validate = true)
    {
        ArchSpecDocument doc;
        try
        {
            doc = Parse(json, fileName);
        }
        catch (SpecException e)
        {
            return (null, e.Diagnostics);
        }
        var problems = validate ? ArchSpecValidator.Validate(doc) : Array.Empty<SpecDiagnostic>();
        return (problems.Count == 0 ? doc : null, problems);
    }

    /// <summary>The spec name a file name implies (<c>dir/sam2_mini.arch.json</c> → <c>sam2_mini</c>), or null for other names.</summary>
    public static string? StemOf(string fileName)
    {
        if (string.IsNullOrEmpty(fileName)) return null;
        int slash = Math.Max(fileName.LastIndexOf('/'), fileName.LastIndexOf('\\'));
        var leaf = fileName.Substring(slash + 1);
        return leaf.EndsWith(FileSuffix, StringComparison.OrdinalIgnoreCase) ? leaf.Substring(0, leaf.Length - FileSuffix.Length) : null;
    }

    private static void CheckNameMatchesFile(ArchSpec spec, string fileName, SpecSourceMap map, BindContext ctx)
    {
        var stem = StemOf(fileName);
        if (stem is null || !map.TryGet("name", out var at) || spec.Name == stem) return;
        ctx.Report(SpecErrorCodes.NameMismatch, $"field 'name' is \"{spec.Name}\" but the file is {stem}{FileSuffix}; they must match", at.Position, at.Length);
    }
}
