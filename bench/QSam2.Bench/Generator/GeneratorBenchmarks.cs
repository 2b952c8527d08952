extern alias gen;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using SegmenterGenerator = gen::QSam2.Generators.Sam2SegmenterGenerator;

namespace QSam2.Bench.Generator;

/// <summary>
/// What the generator adds to a build of a project declaring one <c>sam2.1_hiera_t</c> segmenter: a cold
/// <see cref="CSharpGeneratorDriver"/> run (parse the specs, lower, emit every layer; no incremental cache, as in a
/// clean build) and the same run followed by compiling the generated sources to IL. The target is under 2 s.
/// Benchmark IDs must not change once results are recorded.
/// </summary>
[BenchmarkCategory("Generator")]
[Config(typeof(BenchConfig))]
public class GeneratorBenchmarks
{
    private CSharpCompilation? _compilation;
    private ImmutableArray<AdditionalText> _specs;

    /// <summary>The quant spec (<c>specs/quant/sam2.1_hiera_t.&lt;Quant&gt;.quant.json</c>), or fp32 for none.</summary>
    [Params("fp32", "w8a8", "w4a8")]
    public string Quant { get; set; } = "fp32";

    [GlobalSetup]
    public void Setup()
    {
        string arch = BenchPaths.ArchSpec("sam2.1_hiera_t");
        var files = new List<string> { arch };
        string attribute = "\"sam2.1_hiera_t.arch.json\"";
        if (Quant != "fp32")
        {
            files.Add(BenchPaths.QuantSpec("sam2.1_hiera_t." + Quant));
            attribute += $", \"sam2.1_hiera_t.{Quant}.quant.json\"";
        }
        _specs = files.Select(f => (AdditionalText)new SpecFile(f)).ToImmutableArray();
        var source = $"namespace Bench;\n\n[QSam2.Sam2Segmenter({attribute})]\npublic partial class HieraT;\n";
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(QSam2.Runtime.Segmenters.Sam2SegmenterBase).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(QSam2.Spec.Quant.Qsw.QswLayout).Assembly.Location));
        _compilation = CSharpCompilation.Create("GeneratorBench", new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        // One run outside the measurement checks that the output compiles, so the timings are of working code. The first
        // run in a process also pays the JIT of the generator and Roslyn (a build without the compiler server does too).
        var cold = System.Diagnostics.Stopwatch.StartNew();
        var output = Run();
        Console.WriteLine($"// generator {Quant}: first run in this process (JIT included) {cold.Elapsed.TotalMilliseconds:0} ms, {output.SyntaxTrees.Count() - 1} generated files");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"generated code for {Quant} does not compile: {errors[0]}");
    }

    /// <summary>Cold generator run: the generated sources for every layer.</summary>
    [Benchmark]
    public int Generate() => Run().SyntaxTrees.Count();

    /// <summary>Generator run plus compiling its output to IL (what the build pays in total for the segmenter).</summary>
    [Benchmark]
    public long GenerateAndCompile()
    {
        using var il = new MemoryStream();
        var result = Run().Emit(il);
        if (!result.Success) throw new InvalidOperationException("generated code does not compile");
        return il.Length;
    }

    private Compilation Run()
    {
        var driver = CSharpGeneratorDriver.Create(new[] { new SegmenterGenerator().AsSourceGenerator() }, _specs, new CSharpParseOptions(LanguageVersion.Latest));
        driver.RunGeneratorsAndUpdateCompilation(_compilation!, out var output, out _);
        return output;
    }

    /// <summary>A spec file handed to the generator as an AdditionalFile.</summary>
    private sealed class SpecFile : AdditionalText
    {
        private readonly SourceText _text;

        public SpecFile(string path)
        {
            Path = path;
            _text = SourceText.From(File.ReadAllText(path), System.Text.Encoding.UTF8);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
