using QSam2.Runtime.Prompts;

namespace QSam2.Cli.Prompts;

/// <summary>Parses <c>--point x,y[:label]</c> and <c>--box x0,y0,x1,y1</c> values (syntax: <see cref="PromptText"/>).</summary>
public static class PromptArguments
{
    public static ClickPrompt ParsePoint(string text)
    {
        var (x, y, label) = Usage(() => PromptText.ParsePoint(text, $"--point '{text}'"));
        return new ClickPrompt(x, y, label);
    }

    public static BoxPrompt ParseBox(string text)
    {
        var (x0, y0, x1, y1) = Usage(() => PromptText.ParseBox(text, $"--box '{text}'"));
        return new BoxPrompt(x0, y0, x1, y1);
    }

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new CliUsageException(e.Message, e);
        }
    }
}
