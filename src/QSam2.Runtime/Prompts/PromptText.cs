using System.Globalization;

namespace QSam2.Runtime.Prompts;

/// <summary>
/// The command-line spelling of prompts shared by <c>qsam2</c> and <c>sam2seg</c>: <c>x,y[:label]</c> for a click
/// and <c>x0,y0,x1,y1</c> for a box. Numbers use the invariant culture (a dot as decimal separator) so a command
/// line means the same on every machine. Errors are <see cref="FormatException"/>s whose message starts with
/// <c>source</c> (e.g. <c>--box '1,2,3'</c>), ready for each tool to report as a usage error.
/// </summary>
public static class PromptText
{
    /// <summary>Parses <c>x,y[:label]</c>; the label defaults to 1 (foreground) and must be 0 or 1.</summary>
    public static (float X, float Y, int Label) ParsePoint(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        string coords = text;
        int label = 1;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            coords = text[..colon];
            string labelText = text[(colon + 1)..];
            if (!int.TryParse(labelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out label) || label is not (0 or 1))
            {
                throw new FormatException($"{source}: label '{labelText}' must be 1 (foreground) or 0 (background)");
            }
        }
        var v = Numbers(source, coords, 2, "x,y[:label]");
        return (v[0], v[1], label);
    }

    /// <summary>Parses <c>x0,y0,x1,y1</c> (corners in pixels; their order is checked against the image later).</summary>
    public static (float X0, float Y0, float X1, float Y1) ParseBox(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var v = Numbers(source, text, 4, "x0,y0,x1,y1");
        return (v[0], v[1], v[2], v[3]);
    }

    private static float[] Numbers(string source, string text, int count, string form)
    {
        var parts = text.Split(',');
        if (parts.Length != count)
        {
            throw new FormatException($"{source}: expected {count} comma-separated numbers ({form}), got {parts.Length}");
        }
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                throw new FormatException($"{source}: '{parts[i]}' (value {i + 1} of {form}) is not a finite number");
            }
        }
        return values;
    }
}
