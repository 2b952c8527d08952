using QSam2.Spec.Arch.Validation;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using QSam2.Spec.Schema;

namespace QSam2.Spec.Arch;

/// <summary>
/// Checks that an <see cref="ArchSpec"/> describes a SAM2 the official code can build and run: positive sizes,
/// heads dividing widths, the neck channel list matching the trunk, no global-attention q-pool block, windows
/// fitting the feature maps, the stride chain matching the image size, consistent memory widths. Reports every
/// problem with a stable code and, when the spec came from a file, the position of the offending value.
/// </summary>
public static class ArchSpecValidator
{
    public static IReadOnlyList<SpecDiagnostic> Validate(ArchSpecDocument document) =>
        Validate(document.Spec, null, document.File, document.SourceMap);

    /// <param name="spec">The spec.</param>
    /// <param name="imageSize">Image size to check size-dependent rules at; default <see cref="ArchSpec.ImageSize"/>.</param>
    /// <param name="file">File name for messages.</param>
    /// <param name="sourceMap">Positions of the values in <paramref name="file"/>, if read from one.</param>
    public static IReadOnlyList<SpecDiagnostic> Validate(ArchSpec spec, int? imageSize = null, string file = "", SpecSourceMap? sourceMap = null)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        var ctx = new ValidationContext(string.IsNullOrEmpty(file) ? DefaultFile(spec) : file, sourceMap ?? SpecSourceMap.Empty);
        if (string.IsNullOrWhiteSpace(spec.Name)) ctx.Invalid("name", "'name' must not be empty");
        if (spec.SamVersion != "2.0" && spec.SamVersion != "2.1")
        {
            ctx.Invalid("sam_version", $"'sam_version' must be \"2.0\" or \"2.1\", got \"{spec.SamVersion}\"");
        }
        ctx.Positive("num_maskmem", spec.NumMaskmem);
        ctx.AtMost("num_maskmem", spec.NumMaskmem, ArchLimits.MaxCount);
        bool trunkOk = TrunkRules.Check(ctx, spec.Trunk);
        NeckRules.Check(ctx, spec, trunkOk);
        HeadRules.Check(ctx, spec);
        MemoryRules.Check(ctx, spec);
        // Size rules derive maps from the schedule and the neck; only meaningful when those are sound.
        if (ctx.Count == 0) SizeRules.Check(ctx, spec, imageSize ?? spec.ImageSize);
        return ctx.Diagnostics;
    }

    public static void ThrowIfInvalid(ArchSpecDocument document) => Throw(Validate(document));

    public static void ThrowIfInvalid(ArchSpec spec, int? imageSize = null, string file = "", SpecSourceMap? sourceMap = null) =>
        Throw(Validate(spec, imageSize, file, sourceMap));

    private static void Throw(IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        if (diagnostics.Count > 0) throw new SpecException(diagnostics);
    }

    private static string DefaultFile(ArchSpec spec) =>
        string.IsNullOrEmpty(spec.Name) ? "<arch spec>" : spec.Name + ArchSpecReader.FileSuffix;
}
