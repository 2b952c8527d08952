using System.Text.Json;

namespace QSam2.Training.Tests.Cli;

public class InfoCommandTests
{
    [Fact]
    public void JsonWithKeysForHieraTinyHasTheReferenceCounts()
    {
        var r = CliRunner.Run("info", CliRunner.Arch("sam2.1_hiera_t"), "--json", "--keys");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        // sam2-architecture.md §1.4: 38,962,754 state-dict elements in 471 keys.
        Assert.Equal(38_962_754, root.GetProperty("total_parameters").GetInt64());
        Assert.Equal(471, root.GetProperty("state_dict_keys").GetInt32());
        var components = root.GetProperty("components");
        Assert.Equal(26_849_472, components.GetProperty("image_encoder.trunk").GetInt64());
        Assert.Equal(4_215_109, components.GetProperty("sam_mask_decoder").GetInt64());
        Assert.Equal(38_962_754, components.EnumerateObject().Sum(p => p.Value.GetInt64()));
        var keys = root.GetProperty("keys");
        Assert.Equal(471, keys.EnumerateObject().Count());
        Assert.Equal(new[] { 96, 3, 7, 7 }, keys.GetProperty("image_encoder.trunk.patch_embed.proj.weight").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(38_962_754, keys.EnumerateObject().Sum(p => p.Value.EnumerateArray().Aggregate(1L, (a, e) => a * e.GetInt32())));
        // §11: trunk 142.372 + neck 3.020 GMACs.
        Assert.InRange(root.GetProperty("image_encoder_gmacs").GetDouble(), 145.3, 145.5);
    }

    [Fact]
    public void JsonWithoutKeysOmitsThemAndImageSizeChangesMacs()
    {
        var at1024 = JsonDocument.Parse(CliRunner.Run("info", CliRunner.Arch("sam2.1_hiera_t"), "--json").Stdout).RootElement;
        Assert.False(at1024.TryGetProperty("keys", out _));
        var r = CliRunner.Run("info", CliRunner.Arch("sam2.1_hiera_t"), "--json", "--image-size", "512");
        Assert.Equal(0, r.ExitCode);
        var at512 = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(at1024.GetProperty("total_parameters").GetInt64(), at512.GetProperty("total_parameters").GetInt64());
        Assert.True(at512.GetProperty("image_encoder_gmacs").GetDouble() < at1024.GetProperty("image_encoder_gmacs").GetDouble() / 3);
    }

    [Fact]
    public void TextOutputListsComponentsAndTotal()
    {
        var r = CliRunner.Run("info", CliRunner.Arch("sam2.1_hiera_t"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("38,962,754", r.Stdout);
        Assert.Contains("471 keys", r.Stdout);
        Assert.Contains("image_encoder.trunk", r.Stdout);
    }

    [Theory]
    [InlineData("info", "/no/such/arch.json")]
    [InlineData("info")]
    [InlineData("info", "ARCH", "--image-size", "-5")]
    [InlineData("info", "ARCH", "--image-size", "1000")]
    [InlineData("bogus-command")]
    public void BadInputIsOneLineOnStderrAndExitCode2(params string[] args)
    {
        var r = CliRunner.Run(args.Select(a => a == "ARCH" ? CliRunner.Arch("sam2.1_hiera_t") : a).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("qsam2: ", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }
}
