namespace QSam2.Generators.Model;

/// <summary>
/// A request joined with its parsed spec files: the input of lowering. Diagnostics collected so far travel along;
/// when any is an error the specs may be null and nothing is generated. Immutable and structurally equatable.
/// </summary>
public sealed record SegmenterInput(SegmenterRequest Request, SpecFile? Arch, SpecFile? Quant, EquatableArray<DiagnosticInfo> Diagnostics);
