using QSam2.Spec.Diagnostics;

namespace QSam2.Spec.Json;

/// <summary>The JSON type of a <see cref="JsonValue"/>.</summary>
public enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>
/// An immutable JSON value that remembers where it was written: <see cref="Position"/> of its first character
/// and its <see cref="Length"/> in characters. Records, so whole documents compare structurally
/// (positions included: a moved value must re-report its diagnostics at the new place).
/// </summary>
public abstract record JsonValue(TextPosition Position, int Length)
{
    public abstract JsonKind Kind { get; }

    /// <summary>Lower-case JSON type name for messages: "object", "array", "string", "number", "boolean", "null".</summary>
    public string KindName => Kind switch
    {
        JsonKind.Object => "object",
        JsonKind.Array => "array",
        JsonKind.String => "string",
        JsonKind.Number => "number",
        JsonKind.Boolean => "boolean",
        _ => "null",
    };
}
