using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QSam2.Generators.Emit;
using QSam2.Generators.Lowering;
using QSam2.Generators.Model;
using QSam2.Generators.Parser;

namespace QSam2.Generators;

/// <summary>
/// <c>[Sam2Segmenter("&lt;arch&gt;.arch.json", "&lt;name&gt;.quant.json")] partial class X</c> → a SAM2 image segmenter
/// specialized for that architecture and per-layer quantization.
/// <para>Pipeline (each step tracked by a name in <see cref="StepNames"/> for the incremental tests):</para>
/// <list type="number">
/// <item><b>Parse</b>: the attributed class → <see cref="SegmenterRequest"/>; each spec AdditionalFile → <see cref="SpecFile"/>
/// (parsed once per text, so editing one spec re-parses only it; unrelated files are filtered out before any work).</item>
/// <item><b>Resolve</b>: request + spec files → <see cref="SegmenterInput"/> (file lookup, class-shape checks).</item>
/// <item><b>Lower</b>: arch expansion, quant resolution, kernel choice, epilogue fusion, arena plan → <see cref="SegmenterModel"/>.</item>
/// <item><b>Emit</b>: one source for the class (constants, load, the image and prompt paths) and one per weight layer, so a
/// change to one layer's bits re-emits that layer only.</item>
/// </list>
/// Source and diagnostics flow through separate outputs: diagnostics carry locations (which move with every edit),
/// while the source pipeline sees only the location-free model.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class Sam2SegmenterGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (for <c>GeneratorDriverRunResult</c> step inspection in tests).</summary>
    public static class StepNames
    {
        public const string Requests = "Requests";
        public const string SpecFiles = "SpecFiles";
        public const string Inputs = "Inputs";
        public const string Lowered = "Lowered";
        public const string Models = "Models";
        public const string MainSources = "MainSources";
        public const string LayerUnits = "LayerUnits";
        public const string LayerSources = "LayerSources";
        public const string Diagnostics = "Diagnostics";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(static c => c.AddSource(AttributeSource.HintName, AttributeSource.Text));

        var requests = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeSource.MetadataName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => SegmenterRequestParser.Parse(ctx, ct))
            .WithTrackingName(StepNames.Requests);

        var specFiles = context.AdditionalTextsProvider
            .Where(static t => SpecFileKinds.IsSpecFile(t.Path))
            .Select(static (t, ct) => SpecFileParser.Parse(t.Path, t.GetText(ct)?.ToString()))
            .WithTrackingName(StepNames.SpecFiles);

        var inputs = requests
            .Combine(specFiles.Collect())
            .Select(static (pair, _) => SegmenterInputResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(StepNames.Inputs);

        var lowered = inputs
            .Select(static (input, ct) => SegmenterLowering.Lower(input, ct))
            .WithTrackingName(StepNames.Lowered);

        // Pipeline 1: source. Only the location-free model reaches the emitters.
        var models = lowered
            .Where(static l => l.Model is not null)
            .Select(static (l, _) => l.Model!)
            .WithTrackingName(StepNames.Models);

        var mainSources = models
            .Select(static (m, ct) => SegmenterEmitter.Emit(m, ct))
            .WithTrackingName(StepNames.MainSources);
        context.RegisterSourceOutput(mainSources, static (spc, s) => spc.AddSource(s.HintName, s.Text));

        var layerUnits = models
            .SelectMany(static (m, _) => m.LayerUnits())
            .WithTrackingName(StepNames.LayerUnits);
        var layerSources = layerUnits
            .Select(static (u, ct) => LayerEmitter.Emit(u, ct))
            .WithTrackingName(StepNames.LayerSources);
        context.RegisterSourceOutput(layerSources, static (spc, s) => spc.AddSource(s.HintName, s.Text));

        // GPU backend (Emit/Gpu): only when the compilation references QSam2.Gpu (JIT projects; never NativeAOT ones).
        var gpuReferenced = context.CompilationProvider
            .Select(static (c, _) => c.ReferencedAssemblyNames.Any(static a => a.Name == Emit.Gpu.GpuSegmenterEmitter.AssemblyName))
            .WithTrackingName(Emit.Gpu.GpuSegmenterEmitter.TrackingName);
        var gpuSources = models
            .Combine(gpuReferenced)
            .Where(static p => p.Right)
            .Select(static (p, ct) => Emit.Gpu.GpuSegmenterEmitter.Emit(p.Left, ct));
        context.RegisterSourceOutput(gpuSources, static (spc, s) => spc.AddSource(s.HintName, s.Text));

        // Pipeline 2: diagnostics (cheap to re-report when only positions moved).
        var diagnostics = lowered
            .Select(static (l, _) => l.Diagnostics)
            .WithTrackingName(StepNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list) spc.ReportDiagnostic(d.ToDiagnostic());
        });
    }
}
