using System.Globalization;

namespace QSam2.Segmenter.Prompts;

/// <summary>
/// Turns <c>--box x0,y0,x1,y1</c> and <c>--point x,y[:label]</c> values into objects: each box is one object; the
/// clicks join the box when there is exactly one, or form one object on their own when there is none. Numbers use the
/// invariant culture (a dot as decimal separator) so a command line means the same on every machine.
/// </summary>
public static class CommandLinePrompts
{
    public static IReadOnlyList<ObjectPrompt> Parse(IReadOnlyList<string> boxes, IReadOnlyList<string> points)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(points);
        var parsedBoxes = boxes.Select(ParseBox).ToList();
        var parsedPoints = points.Select(ParsePoint).ToList();
        if (parsedBoxes.Count > 1 && parsedPoints.Count > 0)
        {
            throw new UsageException("--point cannot be combined with several --box prompts (which box would the clicks belong to?); "
                + "use one box, or a --prompts file with one list of marks per object");
        }
        if (parsedBoxes.Count == 0)
        {
            return parsedPoints.Count == 0 ? Array.Empty<ObjectPrompt>() : new[] { new ObjectPrompt(null, parsedPoints, "the --point prompts") };
        }
        return parsedBoxes
            .Select(b => new ObjectPrompt(b, parsedBoxes.Count == 1 ? parsedPoints : Array.Empty<PromptPoint>(), b.Source))
            .ToList();
    }

    public static PromptPoint ParsePoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string source = $"--point '{text}'";
        string coords = text;
        int label = 1;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            coords = text[..colon];
            string labelText = text[(colon + 1)..];
            if (!int.TryParse(labelText, NumberStyles.Integer, CultureInfo.InvariantCulture, out label) || label is not (0 or 1))
            {
                throw new UsageException($"{source}: label '{labelText}' must be 1 (foreground) or 0 (background)");
            }
        }
        var v = Numbers(source, coords, 2, "x,y[:label]");
        return new PromptPoint(v[0], v[1], label, source);
    }

    public static PromptBox ParseBox(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string source = $"--box '{text}'";
        var v = Numbers(source, text, 4, "x0,y0,x1,y1");
        return new PromptBox(v[0], v[1], v[2], v[3], source);
    }

    private static float[] Numbers(string source, string text, int count, string form)
    {
        var parts = text.Split(',');
        if (parts.Length != count)
        {
            throw new UsageException($"{source}: expected {count} comma-separated numbers ({form}), got {parts.Length}");
        }
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                throw new UsageException($"{source}: '{parts[i]}' (value {i + 1} of {form}) is not a finite number");
            }
        }
        return values;
    }
}
