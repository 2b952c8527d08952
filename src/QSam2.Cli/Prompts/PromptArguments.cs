using System.Globalization;

namespace QSam2.Cli.Prompts;

/// <summary>
/// Parses <c>--point x,y[:label]</c> and <c>--box x0,y0,x1,y1</c> values. Numbers use the invariant
/// culture (a dot as decimal separator) so a command line means the same on every machine.
/// </summary>
public static class PromptArguments
{
    public static ClickPrompt ParsePoint(string text)
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
                throw new CliUsageException($"--point '{text}': label '{labelText}' must be 1 (foreground) or 0 (background)");
            }
        }
        var v = ParseNumbers("--point", text, coords, 2, "x,y[:label]");
        return new ClickPrompt(v[0], v[1], label);
    }

    public static BoxPrompt ParseBox(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var v = ParseNumbers("--box", text, text, 4, "x0,y0,x1,y1");
        return new BoxPrompt(v[0], v[1], v[2], v[3]);
    }

    private static float[] ParseNumbers(string option, string whole, string text, int count, string form)
    {
        var parts = text.Split(',');
        if (parts.Length != count)
        {
            throw new CliUsageException($"{option} '{whole}': expected {count} comma-separated numbers ({form}), got {parts.Length}");
        }
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                throw new CliUsageException($"{option} '{whole}': '{parts[i]}' (value {i + 1} of {form}) is not a finite number");
            }
        }
        return values;
    }
}
