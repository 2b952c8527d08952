using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Json;

/// <summary>A JSON array.</summary>
public sealed record JsonArray(EquatableArray<JsonValue> Items, TextPosition Position, int Length)
    : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.Array;
}
