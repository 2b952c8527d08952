extern alias gen;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using QSam2.Generators.Tests.Infrastructure;
using Descriptors = gen::QSam2.Generators.Diagnostics.DiagnosticDescriptors;

namespace QSam2.Generators.Tests.Driver;

/// <summary>
/// One test per diagnostic id: each case breaks one thing and expects exactly that id, at the right place (in the
/// spec file for spec problems, in C# for attribute problems), and no generated segmenter.
/// </summary>
public class DiagnosticsTests
{
    private static readonly string MiniArch = File.ReadAllText(Specs.ArchPath("sam2_mini"));
    // A compact hand-written spec whose lines the cases below edit (the shipped specs/quant files are exports: long, one line per layer).
    private static readonly string MiniQuant = File.ReadAllText(Specs.TestSpecPath("sam2_mini.w8a8.handwritten.quant.json"));

    private sealed record Case(string Id, Func<(IEnumerable<AdditionalText> Files, string Source)> Build, string? File, int? Line);

    private static AdditionalText Arch(string text, string name = "sam2_mini.arch.json") => new InMemoryAdditionalText("/specs/" + name, text);

    private static AdditionalText Quant(string text, string name = "sam2_mini.w8a8.quant.json") => new InMemoryAdditionalText("/specs/" + name, text);

    private static string Decl(string arch = "sam2_mini.arch.json", string? quant = "sam2_mini.w8a8.quant.json") =>
        GeneratorHarness.Declaration("Segmenter", arch, quant);

    private static (IEnumerable<AdditionalText>, string) WithQuant(string quantText) => (new[] { Arch(MiniArch), Quant(quantText) }, Decl());

    private static (IEnumerable<AdditionalText>, string) WithArch(string archText) => (new[] { Arch(archText) }, Decl(quant: null));

    private static int LineOf(string text, string needle)
    {
        int at = text.IndexOf(needle, StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException("needle not found: " + needle);
        return text.Take(at).Count(c => c == '\n') + 1;
    }

    private static readonly Dictionary<string, Case> s_cases = new Case[]
    {
        new("QS0001", () => WithQuant(MiniQuant.Replace("\"weight_bits\": 8, ", "\"weight_bits\": 8,, ")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0002", () => WithQuant(MiniQuant.Replace("\"granularity\": \"per_channel\"", "\"granularty\": \"per_channel\"")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0003", () => WithQuant(MiniQuant.Replace("\"weight_bits\": 8", "\"weight_bits\": \"8\"")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0004", () => WithQuant(MiniQuant.Replace("\"arch\": \"sam2_mini\",", "")), "sam2_mini.w8a8.quant.json", 1),
        new("QS0005", () => WithQuant(MiniQuant.Replace("\"weight_bits\": 8,", "\"weight_bits\": 8, \"weight_bits\": 4,")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0006", () => (new AdditionalText[] { Arch(MiniArch), new UnreadableText("/specs/sam2_mini.w8a8.quant.json") }, Decl()), "sam2_mini.w8a8.quant.json", 1),
        new("QS0007", () => (new[] { Arch(MiniArch, "renamed.arch.json") }, Decl("renamed.arch.json", null)), "renamed.arch.json", LineOf(MiniArch, "\"name\"")),
        new("QS0101", () => WithQuant(MiniQuant.Replace("\"per_channel\"", "\"per_row\"")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0102", () => WithArch(MiniArch.Replace("[256, 128, 64, 32]", "[256, 128, 64, 16]")), "sam2_mini.arch.json", LineOf(MiniArch, "\"backbone_channel_list\"")),
        new("QS0103", () => WithArch(MiniArch.Replace("\"image_size\": 256", "\"image_size\": 250")), "sam2_mini.arch.json", null),
        new("QS0104", () => WithArch(MiniArch.Replace("\"global_att_blocks\": [5]", "\"global_att_blocks\": [3]")), "sam2_mini.arch.json", null),
        new("QS0105", () => WithArch(MiniArch.Replace("\"scalp\": 1", "\"scalp\": 1, \"fpn_interp_model\": \"bilinear\"")), "sam2_mini.arch.json", null),
        new("QS0201", () => WithQuant(MiniQuant.Replace("\"weight_bits\": 8", "\"weight_bits\": 5")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0202", () => WithQuant(MiniQuant.Replace("\"sam_mask_decoder.iou_prediction_head.layers.2\"", "\"sam_mask_decoder.iou_prediction_head.layers.9\"")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "iou_prediction_head")),
        new("QS0203", () => WithQuant(MiniQuant.Replace("\"granularity\": \"per_channel\"", "\"granularity\": \"per_group\", \"group_size\": 48")), "sam2_mini.w8a8.quant.json", null),
        new("QS0204", () => WithQuant(MiniQuant.Replace("\"arch\": \"sam2_mini\"", "\"arch\": \"sam2.1_hiera_t\"")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"arch\"")),
        new("QS0205", () => WithQuant(MiniQuant.Replace("\"format_version\": 1", "\"format_version\": 7")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"format_version\"")),
        new("QS0206", () => WithQuant(MiniQuant.Replace("\"weight_bits\": 8, \"activation_bits\": 8, \"granularity\": \"per_channel\"", "\"keep_float\": true")
            .Replace("\"sam_mask_decoder.iou_prediction_head.layers.2\": { \"keep_float\": true }", "\"sam_mask_decoder.iou_prediction_head.layers.2\": { \"keep_float\": false, \"weight_bits\": 8 }")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "iou_prediction_head")),
        new("QS0301", () => (new[] { Arch(MiniArch) }, Decl()), null, null),
        new("QS0302", () => (new[] { Arch(MiniArch) }, "namespace Demo;\n[QSam2.Sam2Segmenter(\"sam2_mini.arch.json\")]\npublic class Segmenter { }\n"), null, null),
        new("QS0303", () => (new[] { Arch(MiniArch) }, "namespace Demo;\npublic partial class Outer\n{\n    [QSam2.Sam2Segmenter(\"sam2_mini.arch.json\")]\n    public partial class Segmenter;\n}\n"), null, null),
        new("QS0304", () => (new[] { Arch(MiniArch) }, Decl("sam2_mini.json", null)), null, null),
        new("QS0305", () => WithQuant(MiniQuant.Replace("\"activation_bits\": 8", "\"activation_bits\": 4")), "sam2_mini.w8a8.quant.json", LineOf(MiniQuant, "\"defaults\"")),
        new("QS0306", () => (new AdditionalText[] { Arch(MiniArch), new InMemoryAdditionalText("/other/sam2_mini.arch.json", MiniArch) }, Decl(quant: null)), null, null),
    }.ToDictionary(c => c.Id);

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in s_cases.Keys.OrderBy(k => k, StringComparer.Ordinal)) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReportsDiagnostic(string id)
    {
        var c = s_cases[id];
        var (files, source) = c.Build();
        var (_, result, _) = GeneratorHarness.Run(files, source);
        var diagnostics = result.Diagnostics;
        Assert.True(diagnostics.Any(d => d.Id == id), $"expected {id}, got: {string.Join("; ", diagnostics)}");
        var d = diagnostics.First(x => x.Id == id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.False(string.IsNullOrWhiteSpace(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        var span = d.Location.GetLineSpan();
        if (c.File != null) Assert.EndsWith("/" + c.File, span.Path, StringComparison.Ordinal);
        else Assert.EndsWith(".cs", span.Path, StringComparison.Ordinal);
        if (c.Line != null) Assert.Equal(c.Line.Value, span.StartLinePosition.Line + 1);
        // A broken spec produces no segmenter (only the attribute source).
        Assert.DoesNotContain(result.Results[0].GeneratedSources, s => s.HintName.StartsWith("Demo.", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryDescriptorHasACase_AndEverySpecCodeHasADescriptor()
    {
        var descriptorIds = Descriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(descriptorIds.OrderBy(x => x, StringComparer.Ordinal), s_cases.Keys.OrderBy(x => x, StringComparer.Ordinal));
        var codeTypes = new[] { typeof(QSam2.Spec.Diagnostics.SpecErrorCodes), typeof(QSam2.Spec.Quant.QuantErrorCodes) };
        foreach (var field in codeTypes.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Where(f => f.IsLiteral))
            Assert.Contains((string)field.GetRawConstantValue()!, descriptorIds);
    }

    /// <summary>An AdditionalFile the host cannot read (GetText returns null).</summary>
    private sealed class UnreadableText : AdditionalText
    {
        public UnreadableText(string path) => Path = path;

        public override string Path { get; }

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }
}
