using System.Security.Cryptography;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Export;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Simulation;

namespace QSam2.Training.Tests.Quantization;

public sealed class ExportTests : IDisposable
{
    private readonly TinyQuantSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    /// <summary>Calibrates a W4A8 PTQ simulation, exports it to files and returns the spec path and the simulated outputs.</summary>
    private (string SpecPath, (float[] Embedding, float[] Masks) Simulated) ExportW4A8()
    {
        using var model = _setup.LoadModel();
        var recipe = TinyQuantSetup.Recipe(4, 8, QuantMethod.Ptq,
            QuantRecipe.Rule("sam_prompt_encoder.*", new QuantLayerConfig { KeepFloat = true }),
            QuantRecipe.Rule("sam_mask_decoder.output_hypernetworks_mlps.*", new QuantLayerConfig { WeightBits = 8, Granularity = QuantGranularity.PerTensor }));
        var resolution = _setup.Resolve(recipe);
        using var sim = QuantSimulator.Attach(model, resolution);
        var stats = ActivationCalibration.Observe(sim, CalibrationImages.Load(_setup.Data, _setup.Spec.ImageSize), new[] { 0, 1, 2, 3 }, 0);
        QuantizerSetup.Ptq(sim, stats, recipe.Calibration);
        sim.SetMode(LayerMode.Quantize);
        var simulated = _setup.Outputs(model);
        var export = QswExporter.Export(model, sim, _setup.Expanded, "tiny W4A8");
        var sha = Convert.ToHexStringLower(SHA256.HashData(export.Bytes));
        var json = QuantSpecWriter.Write("tiny.w4a8", "test", _setup.Spec.Name, _setup.ArchSha, "tiny.w4a8.qsw", sha, recipe, resolution, export.Layers);
        File.WriteAllBytes(Path.Combine(_setup.Dir, "tiny.w4a8.qsw"), export.Bytes);
        var specPath = Path.Combine(_setup.Dir, "tiny.w4a8.quant.json");
        File.WriteAllText(specPath, json);
        return (specPath, simulated);
    }

    [Fact]
    public void ExportedSpecAndQsw_LoadBackToTheSimulatedModel()
    {
        var (specPath, simulated) = ExportW4A8();
        // The written spec is a valid quant spec whose hash matches the .qsw.
        var spec = QuantSpecReader.Read(File.ReadAllText(specPath), specPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_setup.Dir, spec.Weights)))), spec.WeightsSha256);
        Assert.Equal(_setup.ArchSha, spec.ArchSha256);

        using var loaded = QuantizedModelLoader.Load(_setup.Spec, specPath);
        Assert.False(loaded.Simulator.Contains("sam_prompt_encoder.mask_downscaling.0"));
        Assert.Equal(4, loaded.Simulator["image_encoder.trunk.blocks.0.attn.qkv"].Quant.WeightBits);
        var actual = _setup.Outputs(loaded.Model);
        TensorCompare(simulated.Embedding, actual.Embedding, "image embedding");
        TensorCompare(simulated.Masks, actual.Masks, "mask logits");
    }

    private static void TensorCompare(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = expected.Max(v => Math.Abs(v));
        double err = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(err <= 1e-5 * max + 1e-6, $"{what}: loaded model differs from the simulation by {err}");
    }

    [Fact]
    public void OneFlippedByte_IsRefused()
    {
        var (specPath, _) = ExportW4A8();
        var qsw = Path.Combine(_setup.Dir, "tiny.w4a8.qsw");
        var bytes = File.ReadAllBytes(qsw);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(qsw, bytes);
        var e = Assert.Throws<InvalidDataException>(() => QuantizedModelLoader.Load(_setup.Spec, specPath));
        Assert.Contains("weights_sha256", e.Message);
        Assert.Contains("tiny.w4a8.qsw", e.Message);

        // Without the recorded hash the .qsw's own checksum still catches it.
        var json = File.ReadAllText(specPath);
        var spec = QuantSpecReader.Read(json, specPath);
        File.WriteAllText(specPath, json.Replace(spec.WeightsSha256, new string('0', 64)));
        var e2 = Assert.Throws<InvalidDataException>(() => QuantizedModelLoader.Load(_setup.Spec, specPath));
        Assert.Contains("weights_sha256", e2.Message);
        var noHash = string.Join("\n", json.Split('\n').Where(l => !l.Contains("\"weights_sha256\"", StringComparison.Ordinal)));
        File.WriteAllText(specPath, noHash);
        var e3 = Assert.Throws<InvalidDataException>(() => QuantizedModelLoader.Load(_setup.Spec, specPath));
        Assert.Contains("checksum", e3.Message);
    }

    [Fact]
    public void SpecForAnotherArch_OrAnotherBitLayout_IsRefused()
    {
        var (specPath, _) = ExportW4A8();
        var other = _setup.Spec with { Name = "other-arch" };
        var e = Assert.Throws<SpecException>(() => QuantizedModelLoader.Load(other, specPath));
        Assert.Equal(QuantErrorCodes.ArchMismatch, e.Code);

        // Editing the bits in the spec (without re-exporting) no longer matches the .qsw's structure hash.
        var json = File.ReadAllText(specPath).Replace("\"activation_bits\": 8", "\"activation_bits\": 6");
        File.WriteAllText(specPath, json);
        var e2 = Assert.Throws<InvalidDataException>(() => QuantizedModelLoader.Load(_setup.Spec, specPath));
        Assert.Contains("structure", e2.Message);
    }
}
