using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>
/// Every bad input ends with exit code 2, exactly one line on stderr that says what is wrong, and nothing written: the
/// output folder is neither created nor changed, and no staging folder is left behind.
/// </summary>
public class BadInputTests
{
    private static readonly string Image = ReferenceFixture.A.ImagePath;

    public static TheoryData<string, string[], string> Cases => new()
    {
        { "missing image", new[] { "segment", "{tmp}/nope.png", "--box", "1,1,9,9" }, "nope.png: image file not found" },
        { "non-image file", new[] { "segment", "{tmp}/notes.png", "--box", "1,1,9,9" }, "notes.png: not a recognised image" },
        { "truncated image", new[] { "segment", "{tmp}/cut.png", "--box", "1,1,9,9" }, "cut.png: " },
        { "empty image file", new[] { "segment", "{tmp}/empty.jpg", "--box", "1,1,9,9" }, "empty.jpg: file is empty" },
        { "folder as image", new[] { "segment", "{tmp}", "--box", "1,1,9,9" }, "is a directory" },
        { "box outside", new[] { "segment", Image, "--box", "10,10,400,50" }, "--box '10,10,400,50': x1 = 400 is outside the image" },
        { "point outside", new[] { "segment", Image, "--point", "20,-3" }, "--point '20,-3': y = -3 is outside the image" },
        { "empty box", new[] { "segment", Image, "--box", "50,50,20,80" }, "the box is empty" },
        { "bad box text", new[] { "segment", Image, "--box", "1,2,3" }, "expected 4 comma-separated numbers" },
        { "bad label", new[] { "segment", Image, "--point", "5,5:3" }, "label '3' must be 1 (foreground) or 0 (background)" },
        { "malformed prompt JSON", new[] { "segment", Image, "--prompts", "{tmp}/broken.json" }, "broken.json(1,3): malformed prompt JSON: unexpected 't'" },
        { "wrong prompt JSON", new[] { "segment", Image, "--prompts", "{tmp}/wrong.json" }, "wrong.json(1,28): \"data\" must be [x, y]" },
        { "prompt file outside", new[] { "segment", Image, "--prompts", "{tmp}/outside.json" }, "outside.json(1,2): point: x = 999 is outside the image" },
        { "missing prompt file", new[] { "segment", Image, "--prompts", "{tmp}/none.json" }, "none.json: file not found" },
        { "prompts and box", new[] { "segment", Image, "--prompts", "{tmp}/outside.json", "--box", "1,1,9,9" }, "not both" },
        { "no prompt", new[] { "segment", Image }, "no prompt" },
        { "unknown model", new[] { "segment", Image, "--box", "1,1,9,9", "--model", "mini-w3a3" }, "--model 'mini-w3a3': unknown model; available: fixture-fp32, fixture-absent" },
        { "absent weights", new[] { "segment", Image, "--box", "1,1,9,9", "--model", "fixture-absent" }, "model fixture-absent: its weights" },
        { "bad format", new[] { "segment", Image, "--box", "1,1,9,9", "--format", "tiff" }, "tiff" },
        { "unknown option", new[] { "segment", Image, "--box", "1,1,9,9", "--colour" }, "--colour" },
        { "negative hole area", new[] { "segment", Image, "--box", "1,1,9,9", "--max-hole-area", "-4" }, "--max-hole-area -4: give an area in low-res mask pixels" },
        { "non-numeric sprinkle area", new[] { "segment", Image, "--box", "1,1,9,9", "--max-sprinkle-area", "lots" }, "lots" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExitsWithCodeTwoOneLineAndNoFiles(string name, string[] args, string expected)
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("notes.png"), "this is text, not a PNG");
        File.WriteAllBytes(tmp.File("cut.png"), File.ReadAllBytes(Image)[..400]);
        File.WriteAllBytes(tmp.File("empty.jpg"), Array.Empty<byte>());
        File.WriteAllText(tmp.File("broken.json"), "[{type: point}]");
        File.WriteAllText(tmp.File("wrong.json"), """[{"type": "point", "data": [1, 2, 3]}]""");
        File.WriteAllText(tmp.File("outside.json"), """[{"type": "point", "data": [999, 5]}]""");
        var before = tmp.Entries();
        string outDir = tmp.File("out");

        var run = AppRun.Of(args.Select(a => a.Replace("{tmp}", tmp.Path, StringComparison.Ordinal)).Concat(new[] { "-o", outDir }).ToArray());

        Assert.True(run.Code == 2, $"{name}: {run}");
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("sam2seg: ", line);
        Assert.Contains(expected, line);
        Assert.Equal("", run.Out);
        Assert.Equal(before, tmp.Entries()); // no output folder, no staging folder
    }

    [Fact]
    public void AnExistingOutputFolderIsLeftUnchanged()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("previous.txt"), "kept");
        var run = AppRun.Of("segment", Image, "--box", "10,10,400,50", "-o", tmp.Path);
        Assert.Equal(2, run.Code);
        Assert.Equal(new[] { "previous.txt" }, tmp.Entries());
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(tmp.Path)!, ".sam2seg-staging-*"));
    }

    [Fact]
    public void AnOutputPathThatIsAFileIsRejected()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("taken"), "");
        var run = AppRun.Of("segment", Image, "--box", "40,30,180,150", "-o", tmp.File("taken"));
        Assert.Equal(2, run.Code);
        Assert.Contains("is a file, expected a folder", Assert.Single(run.ErrLines));
        Assert.Equal(new[] { "taken" }, tmp.Entries());
    }

    [Fact]
    public void BenchAndModelsRejectBadInputToo()
    {
        using var tmp = new TempDir();
        var unknown = AppRun.Of("bench", Image, "--model", "nope");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("unknown model", Assert.Single(unknown.ErrLines));
        var missing = AppRun.Of("bench", tmp.File("nope.jpg"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("image file not found", Assert.Single(missing.ErrLines));
        var runs = AppRun.Of("bench", Image, "--runs", "0");
        Assert.Equal(2, runs.Code);
        Assert.Contains("--runs 0", Assert.Single(runs.ErrLines));
        var threads = AppRun.Of("bench", Image, "--threads", "0");
        Assert.Equal(2, threads.Code);
        Assert.Contains("--threads 0", Assert.Single(threads.ErrLines));
        Assert.Equal(2, AppRun.Of("models", "extra").Code);
    }
}
