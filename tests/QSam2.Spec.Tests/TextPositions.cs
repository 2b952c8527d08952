namespace QSam2.Spec.Tests;

/// <summary>Independent line/column computation for test expectations: where a snippet first occurs in a text.</summary>
internal static class TextPositions
{
    public static (int Line, int Column) Of(string text, string snippet, int occurrence = 1)
    {
        int offset = -1;
        for (int i = 0; i < occurrence; i++)
        {
            offset = text.IndexOf(snippet, offset + 1, StringComparison.Ordinal);
            if (offset < 0) throw new ArgumentException($"'{snippet}' (occurrence {occurrence}) not in text");
        }
        var before = text.Substring(0, offset).Split('\n');
        return (before.Length, before[^1].Length + 1);
    }
}
