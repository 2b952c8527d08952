using System.Globalization;
using System.Text;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;

namespace QSam2.Segmenter.Prompts;

/// <summary>
/// Reads a <c>--prompts</c> file: samexporter's list of marks,
/// <c>[{"type": "point", "data": [x, y], "label": 1}, {"type": "rectangle", "data": [x0, y0, x1, y1]}]</c>
/// (pixels of the original image; label 1 foreground, 0 background, default 1). A flat list of marks is one object,
/// exactly as samexporter reads it; a list of such lists is one object per inner list, all decoded from one image
/// embedding. An object holds at most one rectangle. Every error names the file, line and column.
/// </summary>
public static class PromptFile
{
    private static readonly string[] s_markFields = { "type", "data", "label" };

    public static IReadOnlyList<ObjectPrompt> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new UsageException($"--prompts {path}: is a folder, expected a JSON file");
        if (!File.Exists(path)) throw new UsageException($"--prompts {path}: file not found");
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            throw new UsageException($"--prompts {path}: not a UTF-8 text file (expected JSON)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--prompts {path}: cannot read: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses prompt JSON; <paramref name="file"/> names it in messages.</summary>
    public static IReadOnlyList<ObjectPrompt> Parse(string text, string file)
    {
        JsonValue root;
        try
        {
            root = JsonParser.Parse(text, file);
        }
        catch (SpecException e)
        {
            throw new UsageException($"{e.File}({e.Line},{e.Column}): malformed prompt JSON: {e.Diagnostic.Message}", e);
        }
        if (root is not JsonArray top)
        {
            throw Error(file, root, $"expected a list of marks ([{{\"type\": \"point\", ...}}]) or a list of such lists, found a {root.KindName}");
        }
        if (top.Items.Count == 0) throw Error(file, top, "the prompt list is empty; add at least one point or rectangle mark");

        bool nested = top.Items[0] is JsonArray;
        var objects = new List<ObjectPrompt>();
        if (!nested)
        {
            objects.Add(ReadObject(file, top, 0, "the marks"));
            return objects;
        }
        for (int i = 0; i < top.Items.Count; i++)
        {
            if (top.Items[i] is not JsonArray marks)
            {
                throw Error(file, top.Items[i], $"object {i}: expected a list of marks like the first entry, found a {top.Items[i].KindName}");
            }
            if (marks.Items.Count == 0) throw Error(file, marks, $"object {i}: the list of marks is empty");
            objects.Add(ReadObject(file, marks, i, $"object {i}"));
        }
        return objects;
    }

    private static ObjectPrompt ReadObject(string file, JsonArray marks, int index, string name)
    {
        PromptBox? box = null;
        var points = new List<PromptPoint>();
        foreach (var item in marks.Items)
        {
            if (item is not JsonObject mark) throw Error(file, item, $"{name}: expected a mark object {{\"type\": ..., \"data\": [...]}}, found a {item.KindName}");
            foreach (var p in mark.Properties)
            {
                if (Array.IndexOf(s_markFields, p.Name) < 0)
                {
                    throw new UsageException($"{file}{Position(p.NamePosition)}: unknown mark field '{p.Name}' (expected type, data, label)");
                }
            }
            string type = mark.Find("type")?.Value is JsonString t ? t.Value
                : throw Error(file, mark.Find("type")?.Value ?? mark, "mark needs \"type\": \"point\" or \"rectangle\"");
            var data = mark.Find("data")?.Value ?? throw Error(file, mark, $"{type} mark needs \"data\"");
            string where = file + Position(mark.Position);
            switch (type)
            {
                case "point":
                {
                    var xy = Numbers(file, data, 2, "[x, y]");
                    int label = Label(file, mark.Find("label")?.Value);
                    points.Add(new PromptPoint(xy[0], xy[1], label, $"{where}: point"));
                    break;
                }
                case "rectangle":
                {
                    if (mark.Find("label") is { } l) throw Error(file, l.Value, "a rectangle mark takes no \"label\"");
                    var r = Numbers(file, data, 4, "[x0, y0, x1, y1]");
                    if (box != null) throw Error(file, mark, $"{name} has a second rectangle; SAM2 takes one box per object (use a list of lists for several objects)");
                    box = new PromptBox(r[0], r[1], r[2], r[3], $"{where}: rectangle");
                    break;
                }
                default:
                    throw Error(file, mark.Find("type")!.Value, $"mark type '{type}' is not supported; use \"point\" or \"rectangle\"");
            }
        }
        return new ObjectPrompt(box, points, $"{file}: {name}");
    }

    private static float[] Numbers(string file, JsonValue data, int count, string form)
    {
        if (data is not JsonArray a || a.Items.Count != count)
        {
            throw Error(file, data, $"\"data\" must be {form} ({count} numbers), found {Describe(data)}");
        }
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (a.Items[i] is not JsonNumber n) throw Error(file, a.Items[i], $"\"data\" value {i + 1} of {form} must be a number, found a {a.Items[i].KindName}");
            double v = n.Value;
            if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue) throw Error(file, n, $"\"data\" value {i + 1} of {form} is out of range");
            values[i] = (float)v;
        }
        return values;
    }

    private static int Label(string file, JsonValue? value)
    {
        if (value is null) return 1;
        if (value is JsonNumber n && n.TryGetInt32(out int label) && label is 0 or 1) return label;
        if (value is JsonBoolean b) return b.Value ? 1 : 0;
        throw Error(file, value, "\"label\" must be 1 (foreground) or 0 (background)");
    }

    private static string Describe(JsonValue v) => v is JsonArray a
        ? $"a list of {a.Items.Count.ToString(CultureInfo.InvariantCulture)}"
        : "a " + v.KindName;

    private static string Position(TextPosition p) => p.ToString();

    private static UsageException Error(string file, JsonValue at, string message) =>
        new($"{file}{Position(at.Position)}: {message}");
}
