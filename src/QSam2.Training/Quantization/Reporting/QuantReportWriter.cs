using System.Globalization;
using System.Text;
using QSam2.Spec.Json;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>
/// The report of a quantization run as Markdown (for people) and JSON (for tools; NaN/∞ written as null): summary by
/// component and precision, model size, mIoU, the most sensitive layers, the per-layer table, VRC effects, provenance.
/// </summary>
public static class QuantReportWriter
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static string ToMarkdown(QuantReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sb = new StringBuilder();
        sb.Append(s_inv, $"# Quantization report: {r.Name}\n\n");
        sb.Append(s_inv, $"- arch: `{r.Arch}` (canonical SHA-256 `{r.ArchSha256}`)\n");
        sb.Append(s_inv, $"- checkpoint: `{Path.GetFileName(r.Checkpoint)}`\n");
        sb.Append(s_inv, $"- recipe: {r.RecipeSummary}\n");
        sb.Append(s_inv, $"- weights: `{r.WeightsFile}` (SHA-256 `{r.WeightsSha256}`, structure hash `{r.StructureHash}`)\n");
        sb.Append(s_inv, $"- calibration: {r.CalibrationImages.Count} images ({r.CalibrationSelection})\n");
        if (r.QatSteps > 0) sb.Append(s_inv, $"- QAT: {r.QatSteps} steps in {r.QatSeconds:0} s, final loss (mean of last 20) {Tail(r.QatLosses):0.0000}\n");
        sb.Append(s_inv, $"- run time: {r.Seconds:0} s\n\n");

        sb.Append("## Summary\n\n| component | layers | float | W8 | W4 | W3 | W2 |\n|---|---|---|---|---|---|---|\n");
        foreach (var g in r.Layers.GroupBy(l => Component(l.Name)))
        {
            int Count(int bits) => g.Count(l => !l.KeepFloat && l.WeightBits == bits);
            sb.Append(s_inv, $"| {g.Key} | {g.Count()} | {g.Count(l => l.KeepFloat)} | {Count(8)} | {Count(4)} | {Count(3)} | {Count(2)} |\n");
        }
        sb.Append(s_inv, $"\nImage-path weights: {Mb(r.Size.Fp32Bytes)} as float32, {Mb(r.Size.QuantizedBytes)} as exported ({r.Size.Ratio:0.0}x smaller; codes at their bit-width + float32 scales; {r.Size.FloatParameters:N0} parameters stay float).\n\n");

        if (r.Eval is { } e)
        {
            sb.Append("## Task metric\n\n");
            sb.Append(s_inv, $"{e.Prompt} prompts, reference: {e.Reference}, {e.Images} images, {e.Instances} objects.\n\n| model | mIoU |\n|---|---|\n");
            sb.Append(s_inv, $"| float (original) | {F(e.FloatMIou)} |\n");
            if (!double.IsNaN(e.CalibratedFloatMIou)) sb.Append(s_inv, $"| float after VRC | {F(e.CalibratedFloatMIou)} |\n");
            sb.Append(s_inv, $"| quantized | {F(e.QuantizedMIou)} |\n\n");
        }

        var sensitive = r.Layers.Where(l => !double.IsNaN(l.SensitivityMIouDrop)).OrderByDescending(l => l.SensitivityMIouDrop).ToList();
        sb.Append("## Most sensitive layers\n\n").Append(r.SensitivityProtocol).Append(".\n\n");
        if (sensitive.Count > 0)
        {
            sb.Append("| layer | quantization | mIoU drop | weight SQNR dB | input SQNR dB |\n|---|---|---|---|---|\n");
            foreach (var l in sensitive)
                sb.Append(s_inv, $"| `{l.Name}` | {l.Quantization} | {l.SensitivityMIouDrop:0.00} | {F(l.WeightSqnrDb)} | {F(l.ActivationSqnrDb)} |\n");
            sb.Append('\n');
        }

        sb.Append("## Layers\n\n| layer | kind | weight | quantization | weight q | input q | weight SQNR dB | input SQNR dB | input scale / zp | input range |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var l in r.Layers)
        {
            if (l.KeepFloat)
            {
                sb.Append(s_inv, $"| `{l.Name}` | {l.Kind} | [{string.Join("x", l.WeightShape)}] | float | | | | | | |\n");
                continue;
            }
            sb.Append(s_inv, $"| `{l.Name}` | {l.Kind} | [{string.Join("x", l.WeightShape)}] | {l.Quantization} | {l.WeightQuantizer} | {l.ActivationQuantizer} | {F(l.WeightSqnrDb)} | {F(l.ActivationSqnrDb)} | {l.InputScale:g4} / {l.InputZeroPoint} | [{l.InputLo:g4}, {l.InputHi:g4}] |\n");
        }

        var vrc = r.Layers.Where(l => l.Vrc is not null).ToList();
        if (vrc.Count > 0)
        {
            sb.Append("\n## VRC (variance-reduced calibration)\n\nPer Linear: weight variance and Frobenius norm before → after, max |w|, relative change of the float output on the calibration data (‖ΔY‖²/‖Y‖²), λ (absolute), kept directions, condition number of G.\n\n");
            sb.Append("| layer | var before | var after | ‖W‖ before | ‖W‖ after | max|w| before | max|w| after | output change | λ | kept | κ(G) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var l in vrc)
            {
                var v = l.Vrc!;
                sb.Append(s_inv, $"| `{l.Name}` | {v.VarianceBefore:g4} | {v.VarianceAfter:g4} | {v.FrobeniusBefore:g4} | {v.FrobeniusAfter:g4} | {v.MaxAbsBefore:g4} | {v.MaxAbsAfter:g4} | {v.OutputRelativeChange:0.###e+0} | {v.Lambda:g3} | {v.KeptDirections}/{v.InputDim} | {v.ConditionNumber:0.##e+0} |\n");
            }
        }
        return sb.ToString();
    }

    public static string ToJson(QuantReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var w = new JsonTextWriter();
        w.StartObject();
        w.Member("name", Q(r.Name));
        w.Member("arch", Q(r.Arch));
        w.Member("arch_sha256", Q(r.ArchSha256));
        w.Member("checkpoint", Q(Path.GetFileName(r.Checkpoint)));
        w.Member("recipe", Q(r.RecipeSummary));
        w.Member("weights", Q(r.WeightsFile));
        w.Member("weights_sha256", Q(r.WeightsSha256));
        w.Member("structure_hash", Q(r.StructureHash));
        w.Member("calibration_selection", Q(r.CalibrationSelection));
        w.Member("calibration_images", "[" + string.Join(", ", r.CalibrationImages.Select(Q)) + "]");
        w.StartObject("size");
        w.Member("fp32_bytes", JsonTextWriter.Int(r.Size.Fp32Bytes));
        w.Member("quantized_bytes", JsonTextWriter.Int(r.Size.QuantizedBytes));
        w.Member("quantized_parameters", JsonTextWriter.Int(r.Size.QuantizedParameters));
        w.Member("float_parameters", JsonTextWriter.Int(r.Size.FloatParameters));
        w.EndObject();
        if (r.Eval is { } e)
        {
            w.StartObject("eval");
            w.Member("prompt", Q(e.Prompt));
            w.Member("reference", Q(e.Reference));
            w.Member("images", JsonTextWriter.Int(e.Images));
            w.Member("instances", JsonTextWriter.Int(e.Instances));
            w.Member("float_miou", N(e.FloatMIou));
            w.Member("vrc_float_miou", N(e.CalibratedFloatMIou));
            w.Member("quantized_miou", N(e.QuantizedMIou));
            w.EndObject();
        }
        w.Member("sensitivity_protocol", Q(r.SensitivityProtocol));
        w.StartObject("qat");
        w.Member("steps", JsonTextWriter.Int(r.QatSteps));
        w.Member("seconds", N(r.QatSeconds));
        w.Member("final_loss", N(Tail(r.QatLosses)));
        w.EndObject();
        w.Member("seconds", N(r.Seconds));
        w.StartObject("layers");
        foreach (var l in r.Layers)
        {
            w.StartObject(l.Name);
            w.Member("kind", Q(l.Kind));
            w.Member("weight_shape", JsonTextWriter.IntArray(l.WeightShape));
            w.Member("quantization", Q(l.Quantization));
            if (!l.KeepFloat)
            {
                w.Member("weight_bits", JsonTextWriter.Int(l.WeightBits));
                w.Member("activation_bits", JsonTextWriter.Int(l.ActivationBits));
                w.Member("weight_quantizer", Q(l.WeightQuantizer));
                w.Member("activation_quantizer", Q(l.ActivationQuantizer));
                w.Member("weight_sqnr_db", N(l.WeightSqnrDb));
                w.Member("activation_sqnr_db", N(l.ActivationSqnrDb));
                w.Member("activation_scale", N(l.InputScale));
                w.Member("activation_zero_point", JsonTextWriter.Int(l.InputZeroPoint));
                w.Member("activation_range", "[" + N(l.InputLo) + ", " + N(l.InputHi) + "]");
                w.Member("weight_clip_range", "[" + N(l.ClipMin) + ", " + N(l.ClipMax) + "]");
                w.Member("sensitivity_miou_drop", N(l.SensitivityMIouDrop));
            }
            if (l.Vrc is { } v)
            {
                w.StartObject("vrc");
                w.Member("variance_before", N(v.VarianceBefore));
                w.Member("variance_after", N(v.VarianceAfter));
                w.Member("frobenius_before", N(v.FrobeniusBefore));
                w.Member("frobenius_after", N(v.FrobeniusAfter));
                w.Member("max_abs_before", N(v.MaxAbsBefore));
                w.Member("max_abs_after", N(v.MaxAbsAfter));
                w.Member("output_relative_change", N(v.OutputRelativeChange));
                w.Member("lambda", N(v.Lambda));
                w.Member("kept_directions", JsonTextWriter.Int(v.KeptDirections));
                w.Member("condition_number", N(v.ConditionNumber));
                w.Member("rows", JsonTextWriter.Int(v.Rows));
                w.EndObject();
            }
            w.EndObject();
        }
        w.EndObject();
        w.EndObject();
        return w.ToString();
    }

    /// <summary>The model part a layer belongs to, for the summary table.</summary>
    public static string Component(string layer) =>
        layer.StartsWith("image_encoder.trunk.", StringComparison.Ordinal) ? "image encoder (Hiera trunk)"
        : layer.StartsWith("image_encoder.neck.", StringComparison.Ordinal) ? "neck (FPN)"
        : layer.StartsWith("sam_prompt_encoder.", StringComparison.Ordinal) ? "prompt encoder"
        : layer.StartsWith("sam_mask_decoder.", StringComparison.Ordinal) ? "mask decoder"
        : "other";

    private static string Q(string s) => JsonTextWriter.Quote(s);

    private static string N(double v) => double.IsNaN(v) || double.IsInfinity(v) ? "null" : JsonTextWriter.Number(v);

    private static string F(double v) => double.IsNaN(v) ? "n/a" : double.IsPositiveInfinity(v) ? "∞" : v.ToString("0.00", s_inv);

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.000", s_inv) + " MiB";

    private static double Tail(IReadOnlyList<double> losses) => losses.Count == 0 ? double.NaN : losses.Skip(Math.Max(0, losses.Count - 20)).Average();
}
