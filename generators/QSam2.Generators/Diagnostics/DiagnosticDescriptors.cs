using Microsoft.CodeAnalysis;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Spec problems keep the stable codes of <see cref="SpecErrorCodes"/>
/// (QS00xx reading, QS01xx architecture) and <see cref="QuantErrorCodes"/> (QS02xx quantization) and are located
/// in the spec file; QS03xx are the generator's own (attribute use, files, kernels).
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "QSam2.Generators";

    /// <summary>The attribute names a spec file that is not among the project's AdditionalFiles.</summary>
    public const string SpecFileNotFound = "QS0301";

    /// <summary>The attributed class is not <c>partial</c>.</summary>
    public const string ClassNotPartial = "QS0302";

    /// <summary>The attributed class is nested or generic.</summary>
    public const string UnsupportedClassShape = "QS0303";

    /// <summary>An attribute argument is not a <c>.arch.json</c> / <c>.quant.json</c> file name.</summary>
    public const string WrongSpecKind = "QS0304";

    /// <summary>A layer's bit combination has no kernel in QSam2.Runtime.</summary>
    public const string NoKernel = "QS0305";

    /// <summary>Two AdditionalFiles share the file name an attribute refers to.</summary>
    public const string AmbiguousSpecFile = "QS0306";

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Build();

    /// <summary>Descriptor for an id; unknown ids (a newer spec library) get a generic error descriptor.</summary>
    public static DiagnosticDescriptor For(string id) =>
        s_byId.TryGetValue(id, out var d) ? d : Create(id, "Spec error");

    /// <summary>All known descriptors, ordered by id (tests check there is one diagnostics test per id).</summary>
    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal);

    private static Dictionary<string, DiagnosticDescriptor> Build()
    {
        var list = new[]
        {
            Create(SpecErrorCodes.JsonSyntax, "Spec file is not valid JSON"),
            Create(SpecErrorCodes.UnknownField, "Unknown field in spec file"),
            Create(SpecErrorCodes.WrongType, "Spec field has the wrong JSON type"),
            Create(SpecErrorCodes.MissingField, "Required spec field is missing"),
            Create(SpecErrorCodes.DuplicateField, "Spec field appears twice"),
            Create(SpecErrorCodes.FileUnreadable, "Spec file cannot be read"),
            Create(SpecErrorCodes.NameMismatch, "Spec name does not match its file name"),
            Create(SpecErrorCodes.InvalidValue, "Spec value out of range"),
            Create(SpecErrorCodes.InconsistentArchitecture, "Architecture values contradict each other"),
            Create(SpecErrorCodes.ImageSizeMismatch, "Architecture does not fit its image size"),
            Create(SpecErrorCodes.GlobalQPoolBlock, "Global-attention block is also a q-pool block"),
            Create(SpecErrorCodes.Unsupported, "Architecture feature not supported"),
            Create(QuantErrorCodes.UnsupportedBits, "Unsupported bit-width"),
            Create(QuantErrorCodes.UnknownLayer, "Unknown layer in quant spec"),
            Create(QuantErrorCodes.ShapeMismatch, "Quantization does not fit the layer shape"),
            Create(QuantErrorCodes.ArchMismatch, "Quant spec was made for another architecture"),
            Create(QuantErrorCodes.UnsupportedFormatVersion, "Unsupported quant spec format version"),
            Create(QuantErrorCodes.IncompleteLayer, "Quantized layer lacks bits"),
            Create(SpecFileNotFound, "Spec file not found among AdditionalFiles"),
            Create(ClassNotPartial, "Segmenter class must be partial"),
            Create(UnsupportedClassShape, "Segmenter class must be a top-level, non-generic class"),
            Create(WrongSpecKind, "Wrong spec file kind"),
            Create(NoKernel, "No kernel for this bit combination"),
            Create(AmbiguousSpecFile, "Spec file name is ambiguous"),
        };
        return list.ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    private static DiagnosticDescriptor Create(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
