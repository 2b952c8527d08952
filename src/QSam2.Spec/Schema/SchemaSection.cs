using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;

namespace QSam2.Spec.Schema;

/// <summary>
/// The fields of one JSON object of a spec. Binding starts from a record holding the defaults, applies each
/// written member, and reports unknown members (with a "did you mean" hint), wrong types and missing
/// required members, all with file positions.
/// </summary>
public sealed class SchemaSection<T>
{
    private readonly Dictionary<string, SchemaField<T>> _byName;

    public SchemaSection(IReadOnlyList<SchemaField<T>> fields)
    {
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SchemaField<T>> Fields { get; }

    public T Bind(JsonValue value, T start, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is not JsonObject obj)
        {
            var got = value is JsonNumber n ? "the number " + n.Text : value.KindName;
            ctx.Report(SpecErrorCodes.WrongType, $"{BindContext.Display(path)} must be an object, got {got}", value);
            return start;
        }
        var result = start;
        foreach (var prop in obj.Properties)
        {
            var fieldPath = BindContext.Join(path, prop.Name);
            if (!_byName.TryGetValue(prop.Name, out var field))
            {
                var hint = NameSuggester.Suggest(prop.Name, _byName.Keys);
                var where = path.Length == 0 ? "at the top level" : "in '" + path + "'";
                var message = $"unknown field '{prop.Name}' {where}"
                    + (hint is null ? "; known fields: " + string.Join(", ", Fields.Select(f => f.Name)) : $" (did you mean '{hint}'?)");
                ctx.Report(SpecErrorCodes.UnknownField, message, prop.NamePosition, prop.NameLength);
                continue;
            }
            result = field.Bind(result, prop.Value, fieldPath, ctx);
        }
        foreach (var field in Fields)
        {
            if (field.Required && obj.Find(field.Name) is null)
            {
                ctx.Report(SpecErrorCodes.MissingField, $"required field '{BindContext.Join(path, field.Name)}' is missing", obj.Position, 1);
            }
        }
        return result;
    }

    public void Write(T value, JsonTextWriter writer, string? name)
    {
        writer.StartObject(name);
        foreach (var f in Fields) f.Write(value, writer);
        writer.EndObject();
    }

    public IEnumerable<SchemaFieldInfo> Describe(T defaults, string parentPath) =>
        Fields.SelectMany(f => f.Describe(defaults, parentPath));
}
