using QSam2.Runtime.Checkpoints;
using QSam2.Tests.Shared;

namespace QSam2.Training.Tests.Cli;

public class CheckpointCommandTests
{
    private static string Init(CliScratch dir, string arch, string name, int seed = 7)
    {
        string path = dir.File(name);
        var r = CliRunner.Run("checkpoint", "init", "--arch", arch, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("wrote", r.Stdout);
        return path;
    }

    public static TheoryData<string> SmallArchs() => new() { CliRunner.Arch("sam2_mini"), CliRunner.FixtureArch };

    [Theory]
    [MemberData(nameof(SmallArchs))]
    public void InitThenVerifyRoundTrips(string arch)
    {
        using var dir = new CliScratch();
        string path = Init(dir, arch, "m.pt");
        var r = CliRunner.Run("checkpoint", "verify", "--arch", arch, path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("OK, loads strictly", r.Stdout);
        // Official layout: {"model": state_dict} in a torch zip.
        Assert.Equal(CheckpointFormat.TorchZip, CheckpointReader.DetectFormat(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void TheOfficialFixtureCheckpointVerifies()
    {
        var r = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.FixtureArch, ReferenceFixture.A.CheckpointPath);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("359 keys", r.Stdout);
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        using var dir = new CliScratch();
        string path = Init(dir, CliRunner.Arch("sam2_mini"), "m.pt");
        var bytes = File.ReadAllBytes(path);
        string cut = dir.File("cut.pt");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray());
        var r = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.Arch("sam2_mini"), cut);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cut.pt", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void CheckpointOfAnotherArchIsRefused()
    {
        using var dir = new CliScratch();
        string path = Init(dir, CliRunner.Arch("sam2_mini"), "mini.pt");
        var r = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.FixtureArch, path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("does not match", r.Stderr);
        Assert.Contains("size mismatch for image_encoder.trunk.patch_embed.proj.weight", r.Stderr);
    }

    [Fact]
    public void RenamedKeyIsReportedAsMissingAndUnexpected()
    {
        using var dir = new CliScratch();
        string path = Init(dir, CliRunner.Arch("sam2_mini"), "m.pt");
        var sd = CheckpointReader.Read(path);
        const string victim = "sam_mask_decoder.iou_token.weight";
        var renamed = new StateDict(sd.Select(p => (p.Key == victim ? "sam_mask_decoder.iou_tokens.weight" : p.Key, p.Value)));
        CheckpointWriter.Write(dir.File("renamed.pt"), renamed);
        var r = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.Arch("sam2_mini"), dir.File("renamed.pt"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("1 missing, 1 unexpected, 0 mis-shaped", r.Stderr);
        Assert.Contains("missing key " + victim, r.Stderr);
        Assert.Contains("unexpected key sam_mask_decoder.iou_tokens.weight", r.Stderr);
    }

    [Fact]
    public void WrongShapeIsReportedWithBothShapes()
    {
        using var dir = new CliScratch();
        string path = Init(dir, CliRunner.Arch("sam2_mini"), "m.pt");
        var sd = CheckpointReader.Read(path);
        const string victim = "no_mem_embed";
        var original = sd[victim];
        var reshaped = new StateDict(sd.Select(p => (p.Key, p.Key == victim ? new TensorData(new[] { 1, (int)original.ElementCount }, original.Data) : p.Value)));
        CheckpointWriter.Write(dir.File("shape.pt"), reshaped);
        var r = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.Arch("sam2_mini"), dir.File("shape.pt"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"size mismatch for {victim}: expected {TensorData.FormatShape(original.Shape)}, checkpoint has [1, {original.ElementCount}]", r.Stderr);
    }

    [Fact]
    public void MissingInputsAreBadInput()
    {
        using var dir = new CliScratch();
        var r1 = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.Arch("sam2_mini"), dir.File("none.pt"));
        Assert.Equal(2, r1.ExitCode);
        Assert.Contains("none.pt: file not found", r1.Stderr);
        var r2 = CliRunner.Run("checkpoint", "init", "--arch", CliRunner.Arch("sam2_mini"), "-o", dir.File("no/such/folder/m.pt"));
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("does not exist", r2.Stderr);
        var r3 = CliRunner.Run("checkpoint", "init", "-o", dir.File("m.pt"));
        Assert.Equal(2, r3.ExitCode);
        Assert.Contains("--arch", r3.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}

/// <summary>init → verify for the released sizes: hundreds of MB per checkpoint, so tagged Slow (still run in CI).</summary>
[Trait("Category", "Slow")]
public class CheckpointCommandSlowTests
{
    [Theory]
    [InlineData("sam2.1_hiera_t", 471)]
    [InlineData("sam2.1_hiera_s", 519)]
    [InlineData("sam2.1_hiera_b+", 615)]
    [InlineData("sam2.1_hiera_l", 903)]
    public void ReleasedSizesRoundTrip(string arch, int keys)
    {
        using var dir = new CliScratch();
        string path = dir.File(arch + ".pt");
        var init = CliRunner.Run("checkpoint", "init", "--arch", CliRunner.Arch(arch), "--seed", "1", "-o", path);
        Assert.True(init.ExitCode == 0, init.Stderr);
        var verify = CliRunner.Run("checkpoint", "verify", "--arch", CliRunner.Arch(arch), path);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains($"{keys} keys", verify.Stdout);
    }
}
