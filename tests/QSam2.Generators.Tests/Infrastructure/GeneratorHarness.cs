extern alias gen;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Generator = gen::QSam2.Generators.Sam2SegmenterGenerator;

namespace QSam2.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the generator in memory with a plain <see cref="CSharpGeneratorDriver"/> (step tracking on), against
/// network-free reference assemblies plus QSam2.Runtime and QSam2.Spec, so the generated code is also compiled.
/// </summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(QSam2.Runtime.Segmenters.Sam2SegmenterBase).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(QSam2.Spec.Quant.Qsw.QswLayout).Assembly.Location))
            .ToImmutableArray());

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("GeneratorTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + i + ".cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> additional) =>
        CSharpGeneratorDriver.Create(
            new[] { new Generator().AsSourceGenerator() },
            additional,
            ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>One full run: the driver after the run, its result, and the diagnostics of compiling the output.</summary>
    public static (GeneratorDriver Driver, GeneratorDriverRunResult Result, ImmutableArray<Diagnostic> CompileDiagnostics) Run(
        IEnumerable<AdditionalText> additional, params string[] sources)
    {
        var compilation = Compilation(sources);
        var driver = Driver(additional).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (driver, driver.GetRunResult(), errors);
    }

    /// <summary>A segmenter declaration using the attribute.</summary>
    public static string Declaration(string className, string arch, string? quant, string ns = "Demo") =>
        $"namespace {ns};\n\n[QSam2.Sam2Segmenter(\"{arch}\"{(quant is null ? "" : ", \"" + quant + "\"")})]\npublic partial class {className};\n";
}
