using System.Globalization;
using QSam2.Spec.Json;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Quantization.Recipes;

/// <summary>
/// Writes the settings a recipe was run with as a JSON object (the quant spec's <c>recipe</c> block and the report's
/// provenance), from the record rather than the file, so recipes changed in code (experiments) are recorded as run.
/// </summary>
public static class RecipeProvenance
{
    public static void Write(JsonTextWriter w, string memberName, QuantRecipe recipe, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(recipe);
        w.StartObject(memberName);
        w.Member("name", JsonTextWriter.Quote(recipe.Name));
        w.Member("file", JsonTextWriter.Quote(Path.GetFileName(recipe.Source)));
        if (recipe.Sha256.Length > 0) w.Member("sha256", JsonTextWriter.Quote(recipe.Sha256));
        w.Member("method", JsonTextWriter.Quote(recipe.Method == QuantMethod.Qat ? "qat" : "ptq"));
        var c = recipe.Calibration;
        w.StartObject("calibration");
        w.Member("images", JsonTextWriter.Int(c.Images));
        w.Member("selection", JsonTextWriter.Quote(c.Selection == ImageSelection.ConditionNumber ? "condition_number" : "first"));
        w.Member("weights", JsonTextWriter.Quote(c.Weights.Name()));
        w.Member("activations", JsonTextWriter.Quote(c.Activations.Name()));
        if (c.Weights == ClipMethod.Percentile) w.Member("weight_percentile", JsonTextWriter.Number(c.WeightPercentile));
        if (c.Activations == ClipMethod.Percentile) w.Member("activation_percentile", JsonTextWriter.Number(c.ActivationPercentile));
        w.EndObject();
        var v = recipe.Vrc;
        w.StartObject("vrc");
        w.Member("enabled", JsonTextWriter.Bool(v.Enabled));
        if (v.Enabled)
        {
            w.Member("variant", JsonTextWriter.Quote(v.Variant == VrcVariant.Truncated ? "truncated" : "tikhonov"));
            w.Member("lambda", JsonTextWriter.Number(v.Lambda));
            w.Member("relative_to", JsonTextWriter.Quote(v.Scale == VrcScale.MaxEigenvalue ? "max_eigenvalue" : "mean_eigenvalue"));
            w.Member("bias_correction", JsonTextWriter.Bool(v.BiasCorrection));
            w.Member("layers", JsonTextWriter.Quote(v.Layers));
        }
        w.EndObject();
        if (recipe.Method == QuantMethod.Qat)
        {
            var q = recipe.Qat;
            w.StartObject("qat");
            w.Member("quantizer", JsonTextWriter.Quote(q.Quantizer == QatQuantizer.Lsc ? "lsc" : "minmax"));
            w.Member("steps", JsonTextWriter.Int(q.Steps));
            w.Member("batch_size", JsonTextWriter.Int(q.BatchSize));
            w.Member("objects_per_image", JsonTextWriter.Int(q.ObjectsPerImage));
            w.Member("lr", JsonTextWriter.Number(q.LearningRate));
            w.Member("quantizer_lr", JsonTextWriter.Number(q.QuantizerLearningRate));
            w.Member("momentum", JsonTextWriter.Number(q.Momentum));
            w.Member("distill_weight", JsonTextWriter.Number(q.DistillWeight));
            w.Member("ground_truth_weight", JsonTextWriter.Number(q.GroundTruthWeight));
            w.Member("seed", JsonTextWriter.Int(q.Seed));
            w.EndObject();
        }
        if (extra is not null)
            foreach (var (key, value) in extra) w.Member(key, JsonTextWriter.Quote(value));
        w.EndObject();
    }

    /// <summary>One line for reports, e.g. <c>w4a8-vrc-ptq: ptq, vrc tikhonov λ=0.01, weights mse, activations percentile</c>.</summary>
    public static string Summary(QuantRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var parts = new List<string> { recipe.Method == QuantMethod.Qat ? $"QAT {(recipe.Qat.Quantizer == QatQuantizer.Lsc ? "LSC" : "MinMax")} {recipe.Qat.Steps} steps" : "PTQ" };
        parts.Add(recipe.Vrc.Enabled
            ? string.Create(CultureInfo.InvariantCulture, $"VRC {(recipe.Vrc.Variant == VrcVariant.Truncated ? "truncated" : "tikhonov")} λ={recipe.Vrc.Lambda:g4}")
            : "no VRC");
        parts.Add($"weights {recipe.Calibration.Weights.Name()}, activations {recipe.Calibration.Activations.Name()}");
        return recipe.Name + ": " + string.Join(", ", parts);
    }
}
