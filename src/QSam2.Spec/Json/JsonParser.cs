using System.Text;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Json;

/// <summary>
/// A strict RFC 8259 JSON parser (no comments, no trailing commas, no duplicate member names) that records
/// the line and column of every value. Hand-written because QSam2.Spec is netstandard2.0 with no packages
/// and its sources are linked into the Roslyn generator. Errors are <see cref="SpecException"/> with code
/// <see cref="SpecErrorCodes.JsonSyntax"/> (or <see cref="SpecErrorCodes.DuplicateField"/>).
/// </summary>
public sealed class JsonParser
{
    /// <summary>Nesting limit; spec files are shallow, this only stops pathological input from overflowing the stack.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private JsonParser(string text, string file)
    {
        _text = text;
        _file = file;
    }

    /// <summary>Parses a whole document (one value, surrounded only by whitespace; a leading BOM is allowed).</summary>
    /// <param name="text">The JSON text.</param>
    /// <param name="file">File name used in error messages.</param>
    public static JsonValue Parse(string text, string file)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        var parser = new JsonParser(text, file ?? "");
        if (parser._pos < text.Length && text[parser._pos] == '\uFEFF')
        {
            parser._pos++;
            parser._lineStart = parser._pos;
        }
        parser.SkipWhitespace();
        if (parser.AtEnd) throw parser.Error("the document is empty; expected a JSON value");
        var value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (!parser.AtEnd) throw parser.Error($"unexpected {parser.Describe(parser.Peek)} after the end of the JSON value");
        return value;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek => _text[_pos];

    private TextPosition Here => new(_pos, _line, _pos - _lineStart + 1);

    private JsonValue ParseValue(int depth)
    {
        if (AtEnd) throw Error("unexpected end of file; expected a JSON value");
        char c = Peek;
        switch (c)
        {
            case '{': return ParseObject(depth);
            case '[': return ParseArray(depth);
            case '"':
            {
                var start = Here;
                var s = ParseString();
                return new JsonString(s, start, _pos - start.Offset);
            }
            case 't': return ParseLiteral("true", start => new JsonBoolean(true, start, 4));
            case 'f': return ParseLiteral("false", start => new JsonBoolean(false, start, 5));
            case 'n': return ParseLiteral("null", start => new JsonNull(start, 4));
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
                throw Error($"unexpected {Describe(c)}; expected a JSON value");
        }
    }

    private JsonObject ParseObject(int depth)
    {
        if (depth >= MaxDepth) throw Error($"nesting deeper than {MaxDepth} levels");
        var start = Here;
        _pos++; // '{'
        var props = new List<JsonProperty>();
        var seen = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
        SkipWhitespace();
        if (!AtEnd && Peek == '}')
        {
            _pos++;
            return new JsonObject(EquatableArray<JsonProperty>.Empty, start, _pos - start.Offset);
        }
        while (true)
        {
            SkipWhitespace();
            if (AtEnd) throw Error("unexpected end of file inside an object; expected a member name");
            if (Peek != '"')
            {
                throw Error(Peek == '}'
                    ? "trailing comma before '}' is not allowed in JSON"
                    : $"unexpected {Describe(Peek)}; expected a member name in double quotes");
            }
            var nameStart = Here;
            var name = ParseString();
            int nameLength = _pos - nameStart.Offset;
            if (seen.TryGetValue(name, out var first))
            {
                throw new SpecException(SpecErrorCodes.DuplicateField,
                    $"duplicate field \"{name}\" (first defined at {first})", _file, nameStart, nameLength);
            }
            seen.Add(name, nameStart);
            SkipWhitespace();
            if (AtEnd) throw Error($"unexpected end of file after member name \"{name}\"; expected ':'");
            if (Peek != ':') throw Error($"unexpected {Describe(Peek)} after member name \"{name}\"; expected ':'");
            _pos++;
            SkipWhitespace();
            var value = ParseValue(depth + 1);
            props.Add(new JsonProperty(name, nameStart, nameLength, value));
            SkipWhitespace();
            if (AtEnd) throw Error("unexpected end of file inside an object; expected ',' or '}'");
            if (Peek == ',')
            {
                _pos++;
                continue;
            }
            if (Peek == '}')
            {
                _pos++;
                return new JsonObject(new EquatableArray<JsonProperty>(props), start, _pos - start.Offset);
            }
            throw Error($"unexpected {Describe(Peek)} inside an object; expected ',' or '}}'");
        }
    }

    private JsonArray ParseArray(int depth)
    {
        if (depth >= MaxDepth) throw Error($"nesting deeper than {MaxDepth} levels");
        var start = Here;
        _pos++; // '['
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (!AtEnd && Peek == ']')
        {
            _pos++;
            return new JsonArray(EquatableArray<JsonValue>.Empty, start, _pos - start.Offset);
        }
        while (true)
        {
            SkipWhitespace();
            if (!AtEnd && Peek == ']') throw Error("trailing comma before ']' is not allowed in JSON");
            items.Add(ParseValue(depth + 1));
            SkipWhitespace();
            if (AtEnd) throw Error("unexpected end of file inside an array; expected ',' or ']'");
            if (Peek == ',')
            {
                _pos++;
                continue;
            }
            if (Peek == ']')
            {
                _pos++;
                return new JsonArray(new EquatableArray<JsonValue>(items), start, _pos - start.Offset);
            }
            throw Error($"unexpected {Describe(Peek)} inside an array; expected ',' or ']'");
        }
    }

    private JsonValue ParseLiteral(string word, Func<TextPosition, JsonValue> make)
    {
        var start = Here;
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            int end = _pos;
            while (end < _text.Length && char.IsLetterOrDigit(_text[end])) end++;
            var got = _text.Substring(_pos, Math.Max(1, end - _pos));
            throw Error($"unknown literal '{got}'; expected a JSON value (strings need double quotes)");
        }
        _pos += word.Length;
        return make(start);
    }

    private JsonNumber ParseNumber()
    {
        var start = Here;
        if (Peek == '-') _pos++;
        if (AtEnd || !IsDigit(Peek)) throw Error("invalid number: expected a digit after '-'");
        if (Peek == '0')
        {
            _pos++;
            if (!AtEnd && IsDigit(Peek)) throw Error("invalid number: leading zeros are not allowed in JSON");
        }
        else
        {
            while (!AtEnd && IsDigit(Peek)) _pos++;
        }
        if (!AtEnd && Peek == '.')
        {
            _pos++;
            if (AtEnd || !IsDigit(Peek)) throw Error("invalid number: expected a digit after the decimal point");
            while (!AtEnd && IsDigit(Peek)) _pos++;
        }
        if (!AtEnd && (Peek == 'e' || Peek == 'E'))
        {
            _pos++;
            if (!AtEnd && (Peek == '+' || Peek == '-')) _pos++;
            if (AtEnd || !IsDigit(Peek)) throw Error("invalid number: expected a digit in the exponent");
            while (!AtEnd && IsDigit(Peek)) _pos++;
        }
        var text = _text.Substring(start.Offset, _pos - start.Offset);
        var number = new JsonNumber(text, start, text.Length);
        if (double.IsInfinity(number.Value)) throw new SpecException(SpecErrorCodes.JsonSyntax, $"number {text} is out of range", _file, start, text.Length);
        return number;
    }

    private string ParseString()
    {
        var start = Here;
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw new SpecException(SpecErrorCodes.JsonSyntax, "unterminated string", _file, start, _pos - start.Offset);
            char c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }
            if (c == '\\')
            {
                _pos++;
                if (AtEnd) throw new SpecException(SpecErrorCodes.JsonSyntax, "unterminated string", _file, start, _pos - start.Offset);
                char e = _text[_pos];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 >= _text.Length || !IsHex(_text[_pos + 1]) || !IsHex(_text[_pos + 2]) || !IsHex(_text[_pos + 3]) || !IsHex(_text[_pos + 4]))
                        {
                            _pos--;
                            throw Error("invalid \\u escape: expected four hexadecimal digits");
                        }
                        sb.Append((char)Convert.ToInt32(_text.Substring(_pos + 1, 4), 16));
                        _pos += 4;
                        break;
                    default:
                        _pos--;
                        throw Error($"invalid escape sequence '\\{e}' in string");
                }
                _pos++;
                continue;
            }
            if (c < ' ')
            {
                throw Error(c == '\n' || c == '\r'
                    ? "unterminated string (line break inside a string)"
                    : $"control character U+{(int)c:X4} must be escaped inside a string");
            }
            sb.Append(c);
            _pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (!AtEnd)
        {
            char c = _text[_pos];
            if (c == ' ' || c == '\t')
            {
                _pos++;
            }
            else if (c == '\n')
            {
                _pos++;
                NewLine();
            }
            else if (c == '\r')
            {
                _pos++;
                if (!AtEnd && _text[_pos] == '\n') _pos++;
                NewLine();
            }
            else if (c == '/' && _pos + 1 < _text.Length && (_text[_pos + 1] == '/' || _text[_pos + 1] == '*'))
            {
                throw Error("comments are not allowed in JSON");
            }
            else
            {
                return;
            }
        }
    }

    private void NewLine()
    {
        _line++;
        _lineStart = _pos;
    }

    private SpecException Error(string message) => new(SpecErrorCodes.JsonSyntax, message, _file, Here, AtEnd ? 0 : 1);

    private string Describe(char c) => c switch
    {
        '"' => "'\"'",
        _ when c < ' ' => $"character U+{(int)c:X4}",
        _ => "'" + c + "'",
    };

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsHex(char c) => IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
