using System.Globalization;
using QSam2.Generators.Helpers;
using QSam2.Generators.Model;

namespace QSam2.Generators.Emit;

/// <summary>
/// Emits the main file of a segmenter: constants, the expected <c>.qsw</c> layout, parameter fields, the constructor
/// (loads and repacks every weight), <c>Load</c>, and the image path, dense prompt paths and decoder as straight-line
/// calls with constant sizes and arena offsets. Prints the lowered model; decides nothing.
/// </summary>
internal static class SegmenterEmitter
{
    public static GeneratedSource Emit(SegmenterModel m, CancellationToken cancellationToken)
    {
        var w = new SourceWriter();
        string rt = EmitHelpers.Runtime;
        EmitHelpers.Header(w, m.Description);
        w.Line("// Structure hash " + m.StructureHashHex + " (arch + per-layer bits, granularity, float exemptions).");
        w.Line($"// {m.Layers.Count} weight layers, {EmitHelpers.Macs(m.Macs)} MACs in weight layers, arena {EmitHelpers.Bytes(m.ArenaBytes)}.");
        w.Line();
        EmitHelpers.OpenClass(w, m.Namespace, m.Accessibility, m.ClassName, rt + ".Sam2SegmenterBase", attributes: true);

        Constants(w, m);
        Layout(w, m);
        Fields(w, m);
        Constructor(w, m);
        Load(w, m);
        Gpu.GpuBackendHooks.Members(w, m);
        Paths(w, m, cancellationToken);

        EmitHelpers.CloseClass(w, m.Namespace);
        var hint = (m.Namespace.Length == 0 ? m.ClassName : m.Namespace + "." + m.ClassName) + ".g.cs";
        return new GeneratedSource(hint, w.ToString());
    }

    private static void Constants(SourceWriter w, SegmenterModel m)
    {
        w.Line($"public const string ArchName = {Lowering.Literal.String(m.ArchName)};");
        w.Line($"public const string QuantName = {Lowering.Literal.String(m.QuantName)};");
        w.Line($"public const string Description = {Lowering.Literal.String(m.Description)};");
        w.Line($"public const string StructureHashHex = {Lowering.Literal.String(m.StructureHashHex)};");
        w.Line($"public const bool IsFloat32 = {(m.QuantName.Length == 0 ? "true" : "false")};");
        w.Line($"public const int ImageSize = {m.ImageSize};");
        w.Line($"public const int EmbeddingSize = {m.EmbeddingSize};");
        w.Line($"public const int HiddenDim = {m.HiddenDim};");
        w.Line($"public const int LowResSize = {m.LowResSize};");
        w.Line($"public const long ArenaBytes = {Lowering.Literal.Long(m.ArenaBytes)};");
        w.Line();
        w.Line($"private static readonly {EmitHelpers.Runtime}.Sam2SegmenterInfo s_info = new {EmitHelpers.Runtime}.Sam2SegmenterInfo");
        w.Line("{");
        w.Line($"    Name = Description,");
        w.Line($"    ImageSize = {m.ImageSize},");
        w.Line($"    EmbeddingSize = {m.EmbeddingSize},");
        w.Line($"    HiddenDim = {m.HiddenDim},");
        w.Line($"    LowResSize = {m.LowResSize},");
        w.Line($"    MaskTokens = {m.MaskTokens},");
        w.Line($"    MaxPromptPoints = {m.MaxPromptPoints},");
        w.Line($"    DynamicMultimaskViaStability = {(m.DynamicMultimaskViaStability ? "true" : "false")},");
        w.Line($"    StabilityDelta = {Lowering.Literal.Float(m.StabilityDelta)},");
        w.Line($"    StabilityThreshold = {Lowering.Literal.Float(m.StabilityThreshold)},");
        w.Line($"    ArenaBytes = {Lowering.Literal.Long(m.ArenaBytes)},");
        w.Line($"    ImageInputOffset = {Lowering.Literal.Long(m.ImageInputOffset)},");
        w.Line($"    ImageEmbedOffset = {Lowering.Literal.Long(m.ImageEmbedOffset)},");
        w.Line($"    SparseTokensOffset = {Lowering.Literal.Long(m.TokensOffset)},");
        w.Line($"    MaskInputOffset = {Lowering.Literal.Long(m.MaskInputOffset)},");
        w.Line($"    MasksOffset = {Lowering.Literal.Long(m.MasksOffset)},");
        w.Line($"    IouOffset = {Lowering.Literal.Long(m.IouOffset)},");
        w.Line($"    ObjectScoreOffset = {Lowering.Literal.Long(m.ObjectScoreOffset)},");
        w.Line("};");
        w.Line();
    }

    private static void Layout(SourceWriter w, SegmenterModel m)
    {
        string spec = "global::QSam2.Spec.Quant.Qsw";
        w.Line($"private static {spec}.QswLayout? s_layout;");
        w.Line();
        w.Summary("The exact .qsw directory this segmenter loads (names, kinds, dtypes, shapes) and its structure hash.");
        w.Line($"public static {spec}.QswLayout QswLayout => s_layout ??= new {spec}.QswLayout");
        w.Line("{");
        w.Line("    Description = Description,");
        w.Line($"    StructureHashBytes = {EmitHelpers.Runtime}.Hex.Decode(StructureHashHex),");
        w.Line($"    Tensors = new {spec}.QswTensorInfo[]");
        w.Line("    {");
        string e = EmitHelpers.Runtime + ".QswEntries.";
        foreach (var t in m.QswTensors)
        {
            string name = Lowering.Literal.String(t.Name);
            string dims = string.Join(", ", t.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            w.Line("        " + e + t.Kind switch
            {
                QSam2.Spec.Quant.Qsw.QswTensorKind.WeightCodes => $"{t.DType}Codes({name}, {dims}),",
                QSam2.Spec.Quant.Qsw.QswTensorKind.WeightScales => $"Scales({name}, {dims}),",
                QSam2.Spec.Quant.Qsw.QswTensorKind.ActivationScale => $"InputScale({name}),",
                QSam2.Spec.Quant.Qsw.QswTensorKind.ActivationZeroPoint => $"InputZeroPoint({name}),",
                _ => $"Float({name}, {dims}),",
            });
        }
        w.Line("    },");
        w.Line("};");
        w.Line();
    }

    private static void Fields(SourceWriter w, SegmenterModel m)
    {
        foreach (var p in m.Parameters)
        {
            w.Line($"private readonly float[] {p.Field}; // {p.Key} [{string.Join(", ", p.Shape)}]");
        }
        w.Line("private readonly float[] _posEmbed; // Hiera positional embedding at the patch grid, channels-last");
        w.Line("private readonly float[] _densePe; // prompt encoder dense PE, channels-last");
        w.Line();
    }

    private static void Constructor(SourceWriter w, SegmenterModel m)
    {
        string rt = EmitHelpers.Runtime;
        w.Line($"private {m.ClassName}({rt}.WeightSource w)");
        w.Line("    : base(s_info, w)");
        w.Line("{");
        foreach (var p in m.Parameters)
        {
            w.Line($"    {p.Field} = w.Float({Lowering.Literal.String(p.Key)}, {EmitHelpers.IntArray(p.Shape)});");
        }
        foreach (var u in m.Layers) w.Line($"    {u.Member}_Load(w);");
        w.Line($"    _posEmbed = {rt}.{m.PosEmbedExpression};");
        w.Line($"    _densePe = {rt}.{m.DensePeExpression};");
        w.Line("}");
        w.Line();
    }

    private static void Load(SourceWriter w, SegmenterModel m)
    {
        string rt = EmitHelpers.Runtime;
        w.Line($"protected override int OutputTokens => {m.OutputTokens};");
        w.Line();
        w.Line($"private {rt}.LinearLayer[]? _weightLayers;");
        w.Line();
        w.Line($"protected override global::System.Collections.Generic.IReadOnlyList<{rt}.LinearLayer> WeightLayers => _weightLayers ??= new {rt}.LinearLayer[]");
        w.Line("{");
        foreach (var u in m.Layers) w.Line($"    _{u.Member},");
        w.Line("};");
        w.Line();
        bool fp32 = m.QuantName.Length == 0;
        w.Summary(fp32
            ? "Loads weights from a .qsw of this structure (structure hash and checksum verified), or from an official SAM2 checkpoint (.pt zip or safetensors)."
            : "Loads weights from a .qsw of this structure; refuses a file of another structure or with a bad checksum.");
        w.Line($"public static {m.ClassName} Load(string path) => new {m.ClassName}({rt}.WeightSource.Open(path, QswLayout, allowCheckpoint: {(fp32 ? "true" : "false")}));");
        w.Line();
        w.Summary("Loads weights from any source (a verified .qsw, a state dict, or a float simulation of a quantized export).");
        w.Line($"public static {m.ClassName} Load({rt}.WeightSource source) => new {m.ClassName}(source);");
        w.Line();
        w.Summary("Loads weights from a .qsw stream; <paramref name=\"name\"/> is used in error messages.");
        w.Line($"public static {m.ClassName} Load(global::System.IO.Stream stream, string name) => new {m.ClassName}({rt}.WeightSource.FromQsw(stream, name, QswLayout));");
        w.Line();
    }

    private static void Paths(SourceWriter w, SegmenterModel m, CancellationToken cancellationToken)
    {
        string rt = EmitHelpers.Runtime;
        w.Line($"protected override void EncodeImage({rt}.SegmenterArena a)");
        w.Line("{");
        Gpu.GpuBackendHooks.EncodeImagePrologue(w, "    ");
        Steps(w, m.ImageSteps, cancellationToken);
        w.Line("}");
        w.Line();
        w.Line($"protected override void PrepareDecoderImageSide({rt}.SegmenterArena a, bool hasMask)");
        w.Line("{");
        w.Line("    if (hasMask)");
        w.Line("    {");
        foreach (var s in m.MaskPromptSteps) StepLine(w, s, "        ");
        w.Line("    }");
        w.Line("    else");
        w.Line("    {");
        foreach (var s in m.NoMaskPromptSteps) StepLine(w, s, "        ");
        w.Line("    }");
        w.Line();
        w.Line("    // The decoder's image side: without a mask prompt it depends on the image only, so SetImage runs it once for all box/point prompts.");
        Steps(w, m.DecoderImageSideSteps, cancellationToken);
        w.Line("}");
        w.Line();
        w.Line($"protected override void DecodeMasks({rt}.SegmenterArena a, int tokens)");
        w.Line("{");
        Steps(w, m.DecoderSteps, cancellationToken);
        w.Line("}");
    }

    private static void Steps(SourceWriter w, EquatableArray<Step> steps, CancellationToken cancellationToken)
    {
        foreach (var s in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StepLine(w, s, "    ");
        }
    }

    private static void StepLine(SourceWriter w, Step s, string indent)
    {
        if (s.Comment.Length > 0) w.Line(indent + "// " + s.Comment);
        var call = s.Call.StartsWith("Sam2Ops.", StringComparison.Ordinal) ? EmitHelpers.Runtime + "." + s.Call : s.Call;
        w.Line(indent + call + "(" + string.Join(", ", s.Args.Select(a => a.Name + ": " + a.Literal)) + ");");
    }

    internal static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
