using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;

namespace QSam2.Training.Quantization.Recipes;

/// <summary>Typed access to recipe JSON values that collects located diagnostics instead of throwing.</summary>
internal sealed class RecipeJson
{
    public RecipeJson(string file) => File = file;

    public string File { get; }

    public List<SpecDiagnostic> Diagnostics { get; } = new();

    public void Error(string code, string message, JsonValue at) => Diagnostics.Add(new SpecDiagnostic(code, message, File, at.Position, at.Length));

    public void Error(string code, string message, TextPosition at, int length) => Diagnostics.Add(new SpecDiagnostic(code, message, File, at, length));

    public void WrongType(string where, JsonProperty p, string expected) =>
        Error(SpecErrorCodes.WrongType, $"{where}{p.Name}: must be {expected}, found {p.Value.KindName}", p.Value);

    public void Unknown(string where, JsonProperty p, string expected) =>
        Error(SpecErrorCodes.UnknownField, $"{where}unknown field \"{p.Name}\" (expected {expected})", p.NamePosition, p.NameLength);

    public bool Int(string where, JsonProperty p, out int value, int min = int.MinValue, int max = int.MaxValue)
    {
        value = 0;
        if (p.Value is not JsonNumber n || !n.TryGetInt32(out value))
        {
            WrongType(where, p, "an integer");
            return false;
        }
        if (value < min || value > max)
        {
            Error(SpecErrorCodes.InvalidValue, $"{where}{p.Name}: {value} is outside {min}..{max}", p.Value);
            return false;
        }
        return true;
    }

    public bool Number(string where, JsonProperty p, out double value, double min = double.MinValue, double max = double.MaxValue)
    {
        value = 0;
        if (p.Value is not JsonNumber n)
        {
            WrongType(where, p, "a number");
            return false;
        }
        value = n.Value;
        if (!(value >= min && value <= max) || double.IsInfinity(value))
        {
            Error(SpecErrorCodes.InvalidValue, $"{where}{p.Name}: {n.Text} is outside [{min}, {max}]", p.Value);
            return false;
        }
        return true;
    }

    public bool Bool(string where, JsonProperty p, out bool value)
    {
        value = false;
        if (p.Value is JsonBoolean b)
        {
            value = b.Value;
            return true;
        }
        WrongType(where, p, "true or false");
        return false;
    }

    public bool String(string where, JsonProperty p, out string value)
    {
        value = "";
        if (p.Value is JsonString s)
        {
            value = s.Value;
            return true;
        }
        WrongType(where, p, "a string");
        return false;
    }

    /// <summary>A string that must be one of <paramref name="choices"/>.</summary>
    public bool Choice<T>(string where, JsonProperty p, IReadOnlyDictionary<string, T> choices, out T value)
    {
        value = default!;
        if (!String(where, p, out var text)) return false;
        if (choices.TryGetValue(text, out value!)) return true;
        Error(SpecErrorCodes.InvalidValue, $"{where}{p.Name}: \"{text}\" is not one of {string.Join(", ", choices.Keys)}", p.Value);
        return false;
    }

    public JsonObject? Object(string where, JsonProperty p)
    {
        if (p.Value is JsonObject o) return o;
        WrongType(where, p, "an object");
        return null;
    }
}
