using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Tests.Prompts;

public class PromptFileTests
{
    [Fact]
    public void FlatListIsOneObjectAsInSamexporter()
    {
        const string json = """
            [
                {"type": "point", "data": [575, 750], "label": 1},
                {"type": "point", "data": [10.5, 20], "label": 0},
                {"type": "rectangle", "data": [200, 200, 600, 600]}
            ]
            """;
        var o = Assert.Single(PromptFile.Parse(json, "p.json"));
        Assert.Equal((200f, 200f, 600f, 600f), (o.Box!.X0, o.Box.Y0, o.Box.X1, o.Box.Y1));
        Assert.Equal(new[] { (575f, 750f, 1), (10.5f, 20f, 0) }, o.Points.Select(p => (p.X, p.Y, p.Label)));
        Assert.StartsWith("p.json(2,5): point", o.Points[0].Source);
    }

    [Fact]
    public void ListOfListsIsOneObjectEach()
    {
        const string json = """[[{"type": "rectangle", "data": [1, 2, 3, 4]}], [{"type": "point", "data": [5, 6]}, {"type": "point", "data": [7, 8], "label": false}]]""";
        var objects = PromptFile.Parse(json, "p.json");
        Assert.Equal(2, objects.Count);
        Assert.NotNull(objects[0].Box);
        Assert.Empty(objects[0].Points);
        Assert.Null(objects[1].Box);
        Assert.Equal(new[] { 1, 0 }, objects[1].Points.Select(p => p.Label)); // label defaults to 1; false means background
    }

    [Theory]
    [InlineData("[{\"type\": \"point\", \"data\": [1, 2]", "p.json(1,34): malformed prompt JSON")]
    [InlineData("{\"type\": \"point\"}", "p.json(1,1): expected a list of marks")]
    [InlineData("[]", "p.json(1,1): the prompt list is empty")]
    [InlineData("[{\"type\": \"point\", \"data\": [1, 2, 3]}]", "p.json(1,28): \"data\" must be [x, y] (2 numbers), found a list of 3")]
    [InlineData("[{\"type\": \"point\", \"data\": [1, \"2\"]}]", "p.json(1,32): \"data\" value 2 of [x, y] must be a number, found a string")]
    [InlineData("[{\"type\": \"point\", \"data\": [1, 2], \"label\": 2}]", "p.json(1,45): \"label\" must be 1 (foreground) or 0 (background)")]
    [InlineData("[{\"type\": \"text\", \"data\": \"a truck\"}]", "p.json(1,11): mark type 'text' is not supported")]
    [InlineData("[{\"data\": [1, 2]}]", "mark needs \"type\"")]
    [InlineData("[{\"type\": \"point\"}]", "point mark needs \"data\"")]
    [InlineData("[{\"type\": \"point\", \"data\": [1, 2], \"lable\": 1}]", "p.json(1,36): unknown mark field 'lable'")]
    [InlineData("[{\"type\": \"rectangle\", \"data\": [0, 0, 5, 5]}, {\"type\": \"rectangle\", \"data\": [1, 1, 5, 5]}]", "has a second rectangle")]
    [InlineData("[[{\"type\": \"point\", \"data\": [1, 2]}], {\"type\": \"point\", \"data\": [1, 2]}]", "object 1: expected a list of marks like the first entry")]
    [InlineData("[[{\"type\": \"point\", \"data\": [1, 2]}], []]", "object 1: the list of marks is empty")]
    [InlineData("[{\"type\": \"point\", \"data\": [1e999, 2]}]", "is out of range")]
    public void MalformedFilesNameFileLineAndColumn(string json, string expected)
    {
        var e = Assert.Throws<UsageException>(() => PromptFile.Parse(json, "p.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("p.json", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MissingAndNonTextFilesAreUsageErrors()
    {
        string missing = Path.Combine(Path.GetTempPath(), "sam2seg-no-such-prompts.json");
        Assert.Contains("file not found", Assert.Throws<UsageException>(() => PromptFile.Read(missing)).Message);
        string binary = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(binary, new byte[] { 0x89, 0x50, 0x4E, 0x47, 0xFF, 0xFE, 0x00 });
            Assert.Contains("not a UTF-8 text file", Assert.Throws<UsageException>(() => PromptFile.Read(binary)).Message);
        }
        finally
        {
            File.Delete(binary);
        }
    }
}
