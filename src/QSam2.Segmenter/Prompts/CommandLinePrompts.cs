using QSam2.Runtime.Prompts;

namespace QSam2.Segmenter.Prompts;

/// <summary>
/// Turns <c>--box x0,y0,x1,y1</c> and <c>--point x,y[:label]</c> values into objects: each box is one object; the
/// clicks join the box when there is exactly one, or form one object on their own when there is none. The syntax of each
/// value is <see cref="PromptText"/>'s, shared with <c>qsam2</c>.
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
        string source = $"--point '{text}'";
        var (x, y, label) = Usage(() => PromptText.ParsePoint(text, source));
        return new PromptPoint(x, y, label, source);
    }

    public static PromptBox ParseBox(string text)
    {
        string source = $"--box '{text}'";
        var (x0, y0, x1, y1) = Usage(() => PromptText.ParseBox(text, source));
        return new PromptBox(x0, y0, x1, y1, source);
    }

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, e);
        }
    }
}
