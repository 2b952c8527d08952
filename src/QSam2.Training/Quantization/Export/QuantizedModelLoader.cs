using System.Security.Cryptography;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;
using QSam2.Training.Evaluation;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Numerics;
using QSam2.Training.Quantization.Simulation;
using QSam2.Runtime.Kernels.Quant;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Export;

/// <summary>
/// Loads a <c>.quant.json</c> and its <c>.qsw</c> into a simulated quantized model (<c>qsam2 eval --quant</c>). Refuses,
/// with an error naming the file and the field: a spec for another arch (name or canonical hash), a missing weights
/// file, a <c>.qsw</c> whose SHA-256 differs from <c>weights_sha256</c> (corrupted or replaced), and anything
/// <see cref="QswReader"/> rejects (checksum, structure hash of another arch or bit layout, directory problems).
/// The image path's tensors all come from the <c>.qsw</c>; no float checkpoint is needed.
/// </summary>
public static class QuantizedModelLoader
{
    public static QuantizedSam2 Load(ArchSpec arch, string specPath)
    {
        ArgumentNullException.ThrowIfNull(arch);
        ArgumentException.ThrowIfNullOrEmpty(specPath);
        if (!File.Exists(specPath)) throw new FileNotFoundException($"--quant {specPath}: file not found", specPath);
        var spec = QuantSpecReader.Read(File.ReadAllText(specPath), specPath);
        var expanded = ArchExpansion.Expand(arch);
        string archSha = ArchCanonicalText.Sha256Hex(arch);
        var resolution = QuantResolver.Resolve(spec, specPath, arch.Name, archSha, ImagePathStructure.QuantTargets(expanded));
        if (!resolution.Succeeded) throw new SpecException(resolution.Diagnostics.ToArray());
        if (spec.Weights.Length == 0)
            throw new InvalidDataException($"{specPath}: weights: no .qsw file is recorded, so there is nothing to evaluate");
        var weightsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath))!, spec.Weights);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"{specPath}: weights: {weightsPath} not found", weightsPath);
        var bytes = File.ReadAllBytes(weightsPath);
        if (spec.WeightsSha256.Length > 0)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (actual != spec.WeightsSha256)
            {
                throw new InvalidDataException(
                    $"{weightsPath}: SHA-256 {actual} does not match weights_sha256 {spec.WeightsSha256} in {specPath} (the .qsw was corrupted or replaced)");
            }
        }
        var layout = ImagePathStructure.Layout(expanded, resolution, $"{arch.Name} {spec.Name}");
        QswFile file;
        try
        {
            file = QswReader.Read(bytes, weightsPath, layout);
        }
        catch (QswFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        var model = new Sam2Model(arch);
        try
        {
            var sim = Populate(model, file, layout, resolution);
            return new QuantizedSam2(model, sim, spec, specPath, weightsPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The quantized model as an <see cref="IPromptSegmenter"/> for the evaluator (<c>qsam2 eval --quant</c>). The
    /// segmenter owns the model: disposing it disposes the model, and with it the quantization hooks.
    /// </summary>
    public static Sam2Segmenter LoadSegmenter(ArchSpec arch, string specPath) => new(Load(arch, specPath).Model);

    private static QuantSimulator Populate(Sam2Model model, QswFile file, QswLayout layout, QuantResolution resolution)
    {
        var tensors = model.OfficialTensors().ToDictionary(p => p.Key, p => p.Tensor, StringComparer.Ordinal);
        var sim = QuantSimulator.Attach(model, resolution);
        using var noGrad = no_grad();
        foreach (var t in layout.Tensors.Where(t => t.Kind == QswTensorKind.Float))
            Copy(tensors, t.Name, file.Float32(t.Name));
        foreach (var layer in sim.Layers)
        {
            var q = layer.Quant;
            var s = layer.Slicing;
            var codes = FromOfficialOrder(s, file.WeightCodes(layer.Name + ".weight"));
            var scales = file.Float32(layer.Name + ".weight_scale");
            // Validates code range and scales like the kernels' loader does.
            var weights = QuantizedWeights.Create(codes, scales, s.Channels, s.K, q.WeightBits, q.Granularity == QuantGranularity.PerGroup ? s.GroupSize : 0, layer.Name);
            var values = new float[codes.Length];
            for (int n = 0; n < s.Channels; n++)
                for (int k = 0; k < s.K; k++)
                    values[(n * s.K) + k] = weights.Codes[(n * s.K) + k] * weights.Scales[(n * weights.Groups) + (k / weights.GroupSize)];
            Copy(tensors, layer.Name + ".weight", s.ToOfficialOrder(values));
            var input = new ActivationQuantParams(file.Float32(layer.Name + ".input_scale")[0], file.Int32(layer.Name + ".input_zero_point")[0], q.ActivationBits);
            try
            {
                input.Validate(layer.Name + ".input_scale/input_zero_point");
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{file.Source}: {e.Message}", e);
            }
            // The weights already are the dequantized codes: only the inputs need fake quantization.
            layer.WeightQuantizer = null;
            layer.ActivationQuantizer = new FixedActivationQuantizer(input, "exported");
        }
        sim.SetMode(LayerMode.Quantize);
        return sim;
    }

    private static void Copy(Dictionary<string, Tensor> tensors, string key, float[] values)
    {
        if (!tensors.TryGetValue(key, out var target)) throw new InvalidOperationException($"the model has no tensor '{key}'");
        using var src = tensor(values, target.shape, dtype: ScalarType.Float32);
        target.copy_(src);
    }

    /// <summary>Official-layout codes to canonical <c>[N, K]</c> order (only ConvTranspose2d differs).</summary>
    private static sbyte[] FromOfficialOrder(WeightSlicing s, sbyte[] official)
    {
        if (s.OutputAxis == 0) return official;
        long cin = s.WeightShape[0], cout = s.WeightShape[1];
        long rest = official.LongLength / (cin * cout);
        var result = new sbyte[official.Length];
        for (long i = 0; i < cin; i++)
            for (long o = 0; o < cout; o++)
                Array.Copy(official, ((i * cout) + o) * rest, result, ((o * cin) + i) * rest, rest);
        return result;
    }
}
