using System.Text;

namespace QSam2.Generators.Helpers;

/// <summary>A small indenting text writer for generated C# (always '\n' line ends, 4-space indents).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', 4 * _indent).Append(text);
        _sb.Append('\n');
        return this;
    }

    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>A <c>/// &lt;summary&gt;</c> block; text is XML-escaped.</summary>
    public SourceWriter Summary(string text)
    {
        Line("/// <summary>");
        foreach (var line in text.Split('\n')) Line("/// " + Escape(line));
        Line("/// </summary>");
        return this;
    }

    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public override string ToString() => _sb.ToString();
}
