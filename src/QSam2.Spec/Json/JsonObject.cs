using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Json;

/// <summary>One <c>"name": value</c> member; <see cref="NamePosition"/> is where the quoted name starts.</summary>
public sealed record JsonProperty(string Name, TextPosition NamePosition, int NameLength, JsonValue Value);

/// <summary>A JSON object; members keep file order (duplicate names are rejected by the parser).</summary>
public sealed record JsonObject(EquatableArray<JsonProperty> Properties, TextPosition Position, int Length)
    : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.Object;

    public JsonProperty? Find(string name)
    {
        foreach (var p in Properties)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal)) return p;
        }
        return null;
    }
}
