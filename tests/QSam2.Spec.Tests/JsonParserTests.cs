using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;

namespace QSam2.Spec.Tests;

public class JsonParserTests
{
    [Fact]
    public void Parses_all_value_kinds_with_positions()
    {
        var text = "{\n  \"a\": [1, -2.5e3, true, false, null],\n  \"b\": \"x\\u0041\\n\\\"\"\n}";
        var root = Assert.IsType<JsonObject>(JsonParser.Parse(text, "t.json"));
        Assert.Equal(new TextPosition(0, 1, 1), root.Position);
        Assert.Equal(text.Length, root.Length);
        var a = Assert.IsType<JsonArray>(root.Find("a")!.Value);
        Assert.Equal((2, 8), (a.Position.Line, a.Position.Column));
        var one = Assert.IsType<JsonNumber>(a.Items[0]);
        Assert.True(one.TryGetInt32(out int v) && v == 1);
        var real = Assert.IsType<JsonNumber>(a.Items[1]);
        Assert.Equal(-2500.0, real.Value);
        Assert.False(real.IsIntegerLiteral);
        Assert.Equal((2, 12), (real.Position.Line, real.Position.Column));
        Assert.True(Assert.IsType<JsonBoolean>(a.Items[2]).Value);
        Assert.False(Assert.IsType<JsonBoolean>(a.Items[3]).Value);
        Assert.IsType<JsonNull>(a.Items[4]);
        var b = Assert.IsType<JsonString>(root.Find("b")!.Value);
        Assert.Equal("xA\n\"", b.Value);
        Assert.Equal((3, 8), (b.Position.Line, b.Position.Column));
        Assert.Equal((3, 3), (root.Properties[1].NamePosition.Line, root.Properties[1].NamePosition.Column));
    }

    [Fact]
    public void Equal_documents_are_equal_records()
    {
        const string text = "{\"a\": [1, 2], \"b\": {\"c\": \"d\"}}";
        Assert.Equal(JsonParser.Parse(text, "f"), JsonParser.Parse(text, "f"));
        Assert.NotEqual(JsonParser.Parse(text, "f"), JsonParser.Parse(text.Replace("2", "3"), "f"));
    }

    [Theory]
    [InlineData("{\n  \"a\": 1,\n}", 3, 1, "trailing comma")]
    [InlineData("[1, 2,]", 1, 7, "trailing comma")]
    [InlineData("{\"a\" 1}", 1, 6, "expected ':'")]
    [InlineData("{\"a\": 01}", 1, 8, "leading zeros")]
    [InlineData("{\"a\": tru}", 1, 7, "unknown literal")]
    [InlineData("{\"a\": 'x'}", 1, 7, "unexpected")]
    [InlineData("{\n  // note\n  \"a\": 1}", 2, 3, "comments")]
    [InlineData("{\"a\": \"b\nc\"}", 1, 9, "line break")]
    [InlineData("{\"a\": \"\\q\"}", 1, 8, "escape")]
    [InlineData("", 1, 1, "empty")]
    [InlineData("{} {}", 1, 4, "after the end")]
    [InlineData("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'")]
    [InlineData("{\"a\": 1", 1, 8, "end of file")]
    [InlineData("{\"a\": 1.}", 1, 9, "decimal point")]
    [InlineData("{\"a\": -}", 1, 8, "digit after '-'")]
    public void Syntax_errors_carry_line_column_and_code(string text, int line, int column, string what)
    {
        var e = Assert.Throws<SpecException>(() => JsonParser.Parse(text, "bad.json"));
        Assert.Equal(SpecErrorCodes.JsonSyntax, e.Code);
        Assert.Equal("bad.json", e.File);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.Contains(what, e.Message);
        Assert.StartsWith($"bad.json({line},{column}): ", e.Message);
    }

    [Fact]
    public void Duplicate_member_is_reported_at_the_second_name()
    {
        var e = Assert.Throws<SpecException>(() => JsonParser.Parse("{\"a\": 1,\n \"a\": 2}", "d.json"));
        Assert.Equal(SpecErrorCodes.DuplicateField, e.Code);
        Assert.Equal((2, 2), (e.Line, e.Column));
        Assert.Contains("(1,2)", e.Message);
    }

    [Fact]
    public void Crlf_line_ends_and_bom_count_like_lf()
    {
        var e = Assert.Throws<SpecException>(() => JsonParser.Parse("\uFEFF{\r\n\"a\": x}", "c.json"));
        Assert.Equal((2, 6), (e.Line, e.Column));
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var text = new string('[', 10_000) + new string(']', 10_000);
        var e = Assert.Throws<SpecException>(() => JsonParser.Parse(text, "deep.json"));
        Assert.Contains("nesting", e.Message);
    }
}
