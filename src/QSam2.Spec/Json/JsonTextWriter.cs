using System.Globalization;
using System.Text;

namespace QSam2.Spec.Json;

/// <summary>
/// Minimal indented JSON writer (2 spaces, "\n" line ends, invariant culture) for writing spec files.
/// Values are passed as ready JSON text via <see cref="Int"/>, <see cref="Number"/>, <see cref="Quote"/>.
/// </summary>
public sealed class JsonTextWriter
{
    private readonly StringBuilder _sb = new();
    private readonly Stack<bool> _first = new();
    private int _depth;

    public void StartObject(string? name = null)
    {
        BeginMember(name);
        _sb.Append('{');
        _first.Push(true);
        _depth++;
    }

    public void EndObject()
    {
        _depth--;
        bool empty = _first.Pop();
        if (!empty)
        {
            _sb.Append('\n');
            Indent();
        }
        _sb.Append('}');
    }

    /// <summary>Writes <c>"name": text</c> where <paramref name="jsonText"/> is already valid JSON.</summary>
    public void Member(string name, string jsonText)
    {
        BeginMember(name);
        _sb.Append(jsonText);
    }

    public override string ToString() => _sb.ToString() + (_depth == 0 ? "\n" : "");

    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool v) => v ? "true" : "false";

    /// <summary>Shortest round-trip text for a double, always recognisable as a real number (<c>2.0</c>, <c>1e-06</c>).</summary>
    public static string Number(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v)) throw new ArgumentOutOfRangeException(nameof(v), v, "JSON has no NaN or infinity.");
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) s += ".0";
        return s.Replace("E", "e");
    }

    public static string IntArray(IEnumerable<int> values) => "[" + string.Join(", ", values.Select(v => Int(v))) + "]";

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }

    private void BeginMember(string? name)
    {
        if (_first.Count > 0)
        {
            if (!_first.Pop()) _sb.Append(',');
            _first.Push(false);
            _sb.Append('\n');
            Indent();
        }
        if (name is not null) _sb.Append(Quote(name)).Append(": ");
    }

    private void Indent() => _sb.Append(' ', 2 * _depth);
}
