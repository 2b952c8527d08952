using QSam2.Spec.Json;
using QSam2.Spec.Model;

namespace QSam2.Spec.Schema;

/// <summary>An integer field (a JSON number written without fraction or exponent that fits in 32 bits).</summary>
public sealed class IntField<TOwner> : SchemaField<TOwner>
{
    private readonly Func<TOwner, int> _get;
    private readonly Func<TOwner, int, TOwner> _with;

    public IntField(string name, string description, Func<TOwner, int> get, Func<TOwner, int, TOwner> with)
        : base(name, description)
    {
        _get = get;
        _with = with;
    }

    public override string TypeName => "integer";

    public override string Format(TOwner owner) => JsonTextWriter.Int(_get(owner));

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is JsonNumber n && n.TryGetInt32(out int v)) return _with(owner, v);
        WrongType(ctx, path, "an integer", value);
        return owner;
    }
}

/// <summary>A real-number field (any JSON number).</summary>
public sealed class DoubleField<TOwner> : SchemaField<TOwner>
{
    private readonly Func<TOwner, double> _get;
    private readonly Func<TOwner, double, TOwner> _with;

    public DoubleField(string name, string description, Func<TOwner, double> get, Func<TOwner, double, TOwner> with)
        : base(name, description)
    {
        _get = get;
        _with = with;
    }

    public override string TypeName => "number";

    public override string Format(TOwner owner) => JsonTextWriter.Number(_get(owner));

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is JsonNumber n) return _with(owner, n.Value);
        WrongType(ctx, path, "a number", value);
        return owner;
    }
}

/// <summary>A boolean field.</summary>
public sealed class BoolField<TOwner> : SchemaField<TOwner>
{
    private readonly Func<TOwner, bool> _get;
    private readonly Func<TOwner, bool, TOwner> _with;

    public BoolField(string name, string description, Func<TOwner, bool> get, Func<TOwner, bool, TOwner> with)
        : base(name, description)
    {
        _get = get;
        _with = with;
    }

    public override string TypeName => "boolean";

    public override string Format(TOwner owner) => JsonTextWriter.Bool(_get(owner));

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is JsonBoolean b) return _with(owner, b.Value);
        WrongType(ctx, path, "true or false", value);
        return owner;
    }
}

/// <summary>A string field.</summary>
public sealed class StringField<TOwner> : SchemaField<TOwner>
{
    private readonly Func<TOwner, string> _get;
    private readonly Func<TOwner, string, TOwner> _with;

    public StringField(string name, string description, Func<TOwner, string> get, Func<TOwner, string, TOwner> with)
        : base(name, description)
    {
        _get = get;
        _with = with;
    }

    public override string TypeName => "string";

    public override string Format(TOwner owner) => JsonTextWriter.Quote(_get(owner));

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is JsonString s) return _with(owner, s.Value);
        WrongType(ctx, path, "a string", value);
        return owner;
    }
}

/// <summary>An array-of-integers field; each element's location is recorded as <c>path[i]</c>.</summary>
public sealed class IntArrayField<TOwner> : SchemaField<TOwner>
{
    private readonly Func<TOwner, EquatableArray<int>> _get;
    private readonly Func<TOwner, EquatableArray<int>, TOwner> _with;

    public IntArrayField(string name, string description, Func<TOwner, EquatableArray<int>> get, Func<TOwner, EquatableArray<int>, TOwner> with)
        : base(name, description)
    {
        _get = get;
        _with = with;
    }

    public override string TypeName => "integer array";

    public override string Format(TOwner owner) => JsonTextWriter.IntArray(_get(owner));

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is not JsonArray a)
        {
            WrongType(ctx, path, "an array of integers", value);
            return owner;
        }
        var items = new int[a.Items.Count];
        bool ok = true;
        for (int i = 0; i < items.Length; i++)
        {
            var itemPath = path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            var item = a.Items[i];
            ctx.Record(itemPath, item);
            if (item is JsonNumber n && n.TryGetInt32(out int v))
            {
                items[i] = v;
            }
            else
            {
                WrongType(ctx, itemPath, "an integer", item);
                ok = false;
            }
        }
        return ok ? _with(owner, items) : owner;
    }
}

/// <summary>A nested object field bound by its own <see cref="SchemaSection{T}"/>; omitted members keep their defaults.</summary>
public sealed class SectionField<TOwner, TSection> : SchemaField<TOwner>
{
    private readonly Func<TOwner, TSection> _get;
    private readonly Func<TOwner, TSection, TOwner> _with;

    public SectionField(string name, string description, SchemaSection<TSection> section, Func<TOwner, TSection> get, Func<TOwner, TSection, TOwner> with)
        : base(name, description)
    {
        Section = section;
        _get = get;
        _with = with;
    }

    public SchemaSection<TSection> Section { get; }

    public override string TypeName => "object";

    public override string Format(TOwner owner)
    {
        var w = new JsonTextWriter();
        Section.Write(_get(owner), w, null);
        return w.ToString().TrimEnd('\n');
    }

    public override void Write(TOwner owner, JsonTextWriter writer) => Section.Write(_get(owner), writer, Name);

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx) =>
        _with(owner, Section.Bind(value, _get(owner), path, ctx));

    public override IEnumerable<SchemaFieldInfo> Describe(TOwner defaults, string parentPath)
    {
        var path = BindContext.Join(parentPath, Name);
        yield return new SchemaFieldInfo(path, TypeName, "", Description);
        foreach (var row in Section.Describe(_get(defaults), path)) yield return row;
    }
}

/// <summary>
/// A documentation-only string field (e.g. <c>description</c>): type-checked and located, but not stored in
/// the record, so editing prose never changes the architecture or its hashes. Written only when non-empty.
/// </summary>
public sealed class NoteField<TOwner> : SchemaField<TOwner>
{
    public NoteField(string name, string description)
        : base(name, description)
    {
    }

    public override string TypeName => "string";

    public override string Format(TOwner owner) => JsonTextWriter.Quote("");

    public override void Write(TOwner owner, JsonTextWriter writer)
    {
    }

    public override TOwner Bind(TOwner owner, JsonValue value, string path, BindContext ctx)
    {
        ctx.Record(path, value);
        if (value is not JsonString) WrongType(ctx, path, "a string", value);
        return owner;
    }
}
