using System.Security.Cryptography;
using QSam2.Spec.Arch;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Tests.Cli;

namespace QSam2.Training.Tests.Quantization;

public sealed class QuantizeCommandTests : IDisposable
{
    private readonly TinyQuantSetup _setup = new(images: 6);
    private readonly string _arch;

    public QuantizeCommandTests()
    {
        _arch = Path.Combine(_setup.Dir, "tiny-quant.arch.json");
        File.WriteAllText(_arch, ArchSpecWriter.ToJson(_setup.Spec));
    }

    public void Dispose() => _setup.Dispose();

    private string Recipe(string name, string method, string extra = "")
    {
        var path = Path.Combine(_setup.Dir, name + ".recipe.json");
        File.WriteAllText(path, $$"""
            {
              "format_version": 1,
              "name": "{{name}}",
              "method": "{{method}}",
              "defaults": { "weight_bits": 4, "activation_bits": 8, "granularity": "per_channel" },
              "rules": [
                { "match": "image_encoder.trunk.patch_embed.proj", "keep_float": true },
                { "match": "sam_prompt_encoder.*", "keep_float": true },
                { "match": "sam_mask_decoder.output_upscaling.*", "keep_float": true }
              ],
              "calibration": { "images": 4, "selection": "condition_number", "weights": "mse", "activations": "percentile" },
              "vrc": { "enabled": true, "variant": "tikhonov", "lambda": 0.01 }{{extra}}
            }
            """);
        return path;
    }

    [Fact]
    public void QuantizeVrcPtq_WritesSpecWhoseHashMatchesTheQsw_AndAFlippedByteIsRefused()
    {
        var outDir = Path.Combine(_setup.Dir, "out");
        var r = CliRunner.Run("quantize", "--arch", _arch, "--checkpoint", _setup.Checkpoint, "--calib", _setup.Data,
            "--recipe", Recipe("w4a8-vrc-ptq", "ptq"), "--eval", _setup.Data, "--eval-images", "3", "--sensitivity-layers", "2", "-o", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string name = "tiny-quant.w4a8-vrc-ptq";
        foreach (var ext in new[] { ".quant.json", ".qsw", ".report.md", ".report.json" })
            Assert.True(File.Exists(Path.Combine(outDir, name + ext)), name + ext + " missing");
        var specPath = Path.Combine(outDir, name + ".quant.json");
        var spec = QuantSpecReader.Read(File.ReadAllText(specPath), specPath);
        var qsw = Path.Combine(outDir, spec.Weights);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(qsw))), spec.WeightsSha256);
        Assert.Contains(new QuantRecipeEntry("vrc.enabled", "true"), spec.Recipe);

        var report = File.ReadAllText(Path.Combine(outDir, name + ".report.md"));
        Assert.Contains("## VRC", report);
        Assert.Contains("Most sensitive layers", report);
        Assert.Contains("\"sensitivity_miou_drop\"", File.ReadAllText(Path.Combine(outDir, name + ".report.json")));

        using (var loaded = QuantizedModelLoader.Load(_setup.Spec, specPath))
            Assert.Equal(4, loaded.Simulator["image_encoder.trunk.blocks.0.mlp.layers.0"].Quant.WeightBits);

        // qsam2 eval runs the simulation from the spec and its .qsw ...
        var ok = CliRunner.Run("eval", "--arch", _arch, "--quant", specPath, "--data", _setup.Data, "--threads", "2");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("mIoU", ok.Stdout);

        // ... and refuses a .qsw with one flipped byte, naming the file.
        var bytes = File.ReadAllBytes(qsw);
        bytes[bytes.Length - 3] ^= 1;
        File.WriteAllBytes(qsw, bytes);
        Assert.Throws<InvalidDataException>(() => QuantizedModelLoader.Load(_setup.Spec, specPath));
        var bad = CliRunner.Run("eval", "--arch", _arch, "--quant", specPath, "--data", _setup.Data);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains(spec.Weights, bad.Stderr);
        Assert.Contains("weights_sha256", bad.Stderr);

        var both = CliRunner.Run("eval", "--arch", _arch, "--quant", specPath, "--checkpoint", _setup.Checkpoint, "--data", _setup.Data);
        Assert.Equal(2, both.ExitCode);
    }

    [Fact]
    public void QatRecipeWithoutData_IsABadInput_AndNothingIsWritten()
    {
        var outDir = Path.Combine(_setup.Dir, "out-qat");
        var r = CliRunner.Run("quantize", "--arch", _arch, "--checkpoint", _setup.Checkpoint, "--calib", _setup.Data,
            "--recipe", Recipe("lsc", "qat"), "-o", outDir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--data", r.Stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void RecipeWithAnUnknownLayer_IsReportedAtItsLine()
    {
        var path = Path.Combine(_setup.Dir, "bad.recipe.json");
        File.WriteAllText(path, """
            {
              "format_version": 1, "name": "bad", "method": "ptq",
              "defaults": { "weight_bits": 4, "activation_bits": 8 },
              "rules": [
                { "match": "image_encoder.trunk.blocks.99.attn.qkv", "weight_bits": 8 }
              ]
            }
            """);
        var r = CliRunner.Run("quantize", "--arch", _arch, "--checkpoint", _setup.Checkpoint, "--calib", _setup.Data, "--recipe", path, "-o", Path.Combine(_setup.Dir, "o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.recipe.json(5,", r.Stderr);
        Assert.Contains("blocks.99", r.Stderr);
    }
}
