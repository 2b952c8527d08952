namespace QSam2.Generators.Model;

/// <summary>One argument of a generated call: parameter name and the C# literal passed.</summary>
public sealed record StepArg(string Name, string Literal);

/// <summary>
/// One statement of a generated path: a call (a runtime building block, e.g. <c>Sam2Ops.LayerNorm</c>, or a per-layer
/// method) with literal arguments (sizes and arena offsets already decided), and a one-line comment.
/// Immutable and structurally equatable.
/// </summary>
public sealed record Step(string Call, string Comment, EquatableArray<StepArg> Args);

/// <summary>A tensor the segmenter loads by key and keeps as a float array field (norm weights, embeddings, tokens).</summary>
public sealed record ParameterField(string Field, string Key, EquatableArray<int> Shape);

/// <summary>A buffer of the arena plan: name, bytes, byte offset and the step range it is alive in (for the header comment and tests).</summary>
public sealed record PlannedBuffer(string Name, long Bytes, long Offset, int FirstStep, int LastStep);
