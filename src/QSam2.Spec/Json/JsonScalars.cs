using System.Globalization;
using QSam2.Spec.Diagnostics;

namespace QSam2.Spec.Json;

/// <summary>A JSON string (escapes already decoded).</summary>
public sealed record JsonString(string Value, TextPosition Position, int Length) : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.String;
}

/// <summary>
/// A JSON number. <see cref="Text"/> is the literal as written, so integer-ness and exact digits survive
/// (<c>4</c> vs <c>4.0</c> vs <c>4e0</c>); <see cref="Value"/> is its double value.
/// </summary>
public sealed record JsonNumber(string Text, TextPosition Position, int Length) : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.Number;

    public double Value => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>True when written without fraction or exponent (JSON's notion of an integer literal).</summary>
    public bool IsIntegerLiteral => Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;

    /// <summary>The value as an <see cref="int"/> when it is an integer literal that fits.</summary>
    public bool TryGetInt32(out int value) =>
        int.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && IsIntegerLiteral;

    /// <summary>The value as a <see cref="long"/> when it is an integer literal that fits.</summary>
    public bool TryGetInt64(out long value) =>
        long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && IsIntegerLiteral;
}

/// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
public sealed record JsonBoolean(bool Value, TextPosition Position, int Length) : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.Boolean;
}

/// <summary>A JSON <c>null</c>.</summary>
public sealed record JsonNull(TextPosition Position, int Length) : JsonValue(Position, Length)
{
    public override JsonKind Kind => JsonKind.Null;
}
