using System.Text.Json;
using QSam2.Runtime.Imaging;
using QSam2.Tests.Shared;

namespace QSam2.Training.Tests.Cli;

/// <summary>A random sam2_mini checkpoint and a non-square PNG shared by the predict tests.</summary>
public sealed class MiniPredictInputs : IDisposable
{
    private readonly CliScratch _dir = new();

    public MiniPredictInputs()
    {
        Checkpoint = _dir.File("mini.pt");
        var r = CliRunner.Run("checkpoint", "init", "--arch", CliRunner.Arch("sam2_mini"), "--seed", "3", "-o", Checkpoint);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.Stderr);
        Image = _dir.File("scene.png");
        var px = new byte[Width * Height * 3];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                bool inside = x > 20 && x < 70 && y > 10 && y < 45;
                int i = (y * Width + x) * 3;
                (px[i], px[i + 1], px[i + 2]) = inside ? ((byte)220, (byte)40, (byte)30) : ((byte)(x * 2), (byte)(y * 3), (byte)90);
            }
        }
        ImageCodec.SavePng(new RgbImage(Width, Height, px), Image);
    }

    public const int Width = 97;
    public const int Height = 61;

    public string Checkpoint { get; }

    public string Image { get; }

    public void Dispose() => _dir.Dispose();
}

public class PredictCommandTests : IClassFixture<MiniPredictInputs>
{
    private readonly MiniPredictInputs _in;

    public PredictCommandTests(MiniPredictInputs inputs) => _in = inputs;

    private CliRunner.Result Predict(string outDir, params string[] prompts) =>
        CliRunner.Run(new[] { "predict", "--arch", CliRunner.Arch("sam2_mini"), "--checkpoint", _in.Checkpoint, "--image", _in.Image, "-o", outDir }
            .Concat(prompts).ToArray());

    [Fact]
    public void BoxPromptWritesAMaskOfTheInputSizeAndScores()
    {
        using var dir = new CliScratch();
        string outDir = Path.Combine(dir.Path, "out");
        var r = Predict(outDir, "--box", "20,10,70,45");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (mask, w, h) = MaskPng.Load(Path.Combine(outDir, "mask_0.png"));
        Assert.Equal((MiniPredictInputs.Width, MiniPredictInputs.Height), (w, h));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "prediction.json")));
        var masks = json.RootElement.GetProperty("masks").EnumerateArray().ToArray();
        var only = Assert.Single(masks);
        Assert.Equal("mask_0.png", only.GetProperty("file").GetString());
        Assert.InRange(only.GetProperty("score").GetDouble(), 0, 1);
        Assert.Equal(mask.Count(v => v != 0), only.GetProperty("area").GetInt32());
        Assert.Equal(MiniPredictInputs.Width, json.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(new[] { "mask_0.png", "prediction.json" }, Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void MultimaskPointsGiveThreeMasks()
    {
        using var dir = new CliScratch();
        var r = Predict(dir.Path, "--point", "40,30", "--point", "5,5:0", "--multimask");
        Assert.True(r.ExitCode == 0, r.Stderr);
        for (int i = 0; i < 3; i++) Assert.Equal(MiniPredictInputs.Width, MaskPng.Load(dir.File($"mask_{i}.png")).Width);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("prediction.json")));
        Assert.Equal(3, json.RootElement.GetProperty("masks").GetArrayLength());
        Assert.Equal(1, json.RootElement.GetProperty("masks").EnumerateArray().Count(m => m.GetProperty("best").GetBoolean()));
        Assert.Equal(0, json.RootElement.GetProperty("points")[1].GetProperty("label").GetInt32());
    }

    [Fact]
    public void SeveralBoxesGiveOneMaskEach()
    {
        using var dir = new CliScratch();
        var r = Predict(dir.Path, "--box", "20,10,70,45", "--box", "0,0,30,30");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(dir.File("mask_0_0.png")));
        Assert.True(File.Exists(dir.File("mask_1_0.png")));
    }

    [Theory]
    [InlineData("--point", "500,10")]           // outside the image
    [InlineData("--point", "10,abc")]           // not a number
    [InlineData("--point", "10,10:4")]          // bad label
    [InlineData("--box", "1,2,3")]              // too few values
    [InlineData("--box", "60,10,20,40")]        // x1 < x0
    [InlineData("--multimask")]                 // no prompt at all
    public void BadPromptsExitWith2AndWriteNothing(params string[] prompts)
    {
        using var dir = new CliScratch();
        string outDir = Path.Combine(dir.Path, "out");
        var r = Predict(outDir, prompts);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("qsam2: ", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void UnreadableImageOrCheckpointExitWith2()
    {
        using var dir = new CliScratch();
        File.WriteAllText(dir.File("fake.png"), "not an image");
        string outDir = Path.Combine(dir.Path, "out");
        var r1 = CliRunner.Run("predict", "--arch", CliRunner.Arch("sam2_mini"), "--checkpoint", _in.Checkpoint, "--image", dir.File("fake.png"), "--box", "1,1,5,5", "-o", outDir);
        Assert.Equal(2, r1.ExitCode);
        Assert.Contains("fake.png: not a recognised image", r1.Stderr);
        // A checkpoint of another architecture fails the strict load.
        var r2 = CliRunner.Run("predict", "--arch", CliRunner.FixtureArch, "--checkpoint", _in.Checkpoint, "--image", _in.Image, "--box", "1,1,5,5", "-o", outDir);
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("does not match", r2.Stderr);
        Assert.Single(r2.Stderr.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void FixtureBoxMaskMatchesTheOfficialPredictor()
    {
        var fx = ReferenceFixture.A;
        using var dir = new CliScratch();
        var r = CliRunner.Run("predict", "--arch", CliRunner.FixtureArch, "--checkpoint", fx.CheckpointPath, "--image", fx.ImagePath,
            "--box", "40,30,180,150", "-o", dir.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (mask, w, h) = MaskPng.Load(dir.File("mask_0.png"));
        var expected = fx.Bytes("case1.predict.masks");
        var logits = fx.Float("case1.predict.masks_logits");
        double tol = 1e-4 * logits.Max(v => Math.Abs(v)) + 1e-5;
        Assert.Equal((300, 200), (w, h));
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(logits[i]) > tol) Assert.True(expected[i] == mask[i], $"pixel ({i % w}, {i / w})");
        }
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("prediction.json")));
        Assert.Equal(fx.Float("case1.predict.iou_predictions")[0], json.RootElement.GetProperty("masks")[0].GetProperty("score").GetSingle(), 4);
    }
}
