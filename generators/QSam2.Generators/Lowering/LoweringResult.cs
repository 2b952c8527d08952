using QSam2.Generators.Model;

namespace QSam2.Generators.Lowering;

/// <summary>Output of lowering: the model when generation can proceed, and every diagnostic found on the way.</summary>
public sealed record LoweringResult(SegmenterModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
