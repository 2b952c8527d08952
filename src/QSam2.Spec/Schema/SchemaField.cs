using QSam2.Spec.Json;

namespace QSam2.Spec.Schema;

/// <summary>
/// One JSON field of a spec record: its JSON name, documentation, and how to read it into / write it from
/// the immutable record <typeparamref name="TOwner"/> (via <c>with</c>-style functions). The schema tables
/// built from these drive the reader, the writer and the documentation check, so the three cannot drift.
/// </summary>
public abstract class SchemaField<TOwner>
{
    protected SchemaField(string name, string description)
    {
        Name = name;
        Description = description;
    }

    /// <summary>snake_case JSON name.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>Human type name for docs and messages ("integer", "number", "boolean", "string", "integer array", "object").</summary>
    public abstract string TypeName { get; }

    /// <summary>A field that must be present in the file (no default applies).</summary>
    public bool Required { get; init; }

    /// <summary>JSON text of this field's value in <paramref name="owner"/>.</summary>
    public abstract string Format(TOwner owner);

    /// <summary>Reads <paramref name="value"/> into a copy of <paramref name="owner"/>; reports problems to <paramref name="ctx"/> and returns <paramref name="owner"/> unchanged then.</summary>
    public abstract TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx);

    public virtual void Write(TOwner owner, JsonTextWriter writer) => writer.Member(Name, Format(owner));

    /// <summary>Rows (path, type, JSON default, description) for documentation; sections expand to their fields.</summary>
    public virtual IEnumerable<SchemaFieldInfo> Describe(TOwner defaults, string parentPath)
    {
        yield return new SchemaFieldInfo(BindContext.Join(parentPath, Name), TypeName, Required ? "(required)" : Format(defaults), Description);
    }

    protected static void WrongType(BindContext ctx, string path, string expected, JsonValue value)
    {
        var got = value is JsonNumber n ? "the number " + n.Text : value.KindName;
        ctx.Report(Diagnostics.SpecErrorCodes.WrongType, $"field '{path}' must be {expected}, got {got}", value);
    }
}

/// <summary>Documentation row for one schema field.</summary>
public sealed record SchemaFieldInfo(string Path, string Type, string Default, string Description);
