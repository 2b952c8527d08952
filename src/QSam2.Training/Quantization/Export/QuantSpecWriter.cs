using QSam2.Spec.Json;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Recipes;

namespace QSam2.Training.Quantization.Export;

/// <summary>
/// Writes the exported <c>.quant.json</c> (schema in specs/README.md): provenance (arch name and canonical SHA-256,
/// the <c>.qsw</c> file name and SHA-256, the recipe as run), the recipe's defaults, and every weight layer of the
/// image path written out explicitly (float or bits + granularity), with its calibrated numbers as informational
/// fields (the <c>.qsw</c> is authoritative for them).
/// </summary>
public static class QuantSpecWriter
{
    public static string Write(string name, string description, string arch, string archSha256, string weightsFile, string weightsSha256,
        QuantRecipe recipe, QuantResolution resolution, IReadOnlyList<ExportedLayer> exported, IReadOnlyDictionary<string, string>? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(exported);
        var byName = exported.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var w = new JsonTextWriter();
        w.StartObject();
        w.Member("format_version", JsonTextWriter.Int(QuantSpec.CurrentFormatVersion));
        w.Member("name", JsonTextWriter.Quote(name));
        w.Member("description", JsonTextWriter.Quote(description));
        w.Member("arch", JsonTextWriter.Quote(arch));
        w.Member("arch_sha256", JsonTextWriter.Quote(archSha256));
        w.Member("weights", JsonTextWriter.Quote(weightsFile));
        w.Member("weights_sha256", JsonTextWriter.Quote(weightsSha256));
        w.StartObject("defaults");
        WriteConfig(w, recipe.Defaults);
        w.EndObject();
        w.StartObject("layers");
        foreach (var layer in resolution.Layers)
        {
            w.StartObject(layer.Target.Name);
            var q = layer.Quant;
            if (q.KeepFloat)
            {
                w.Member("keep_float", "true");
            }
            else
            {
                w.Member("weight_bits", JsonTextWriter.Int(q.WeightBits));
                w.Member("granularity", JsonTextWriter.Quote(q.Granularity switch
                {
                    QuantGranularity.PerGroup => "per_group",
                    QuantGranularity.PerTensor => "per_tensor",
                    _ => "per_channel",
                }));
                if (q.Granularity == QuantGranularity.PerGroup) w.Member("group_size", JsonTextWriter.Int(q.GroupSize));
                w.Member("activation_bits", JsonTextWriter.Int(q.ActivationBits));
                if (byName.TryGetValue(layer.Target.Name, out var e))
                {
                    var (lo, hi) = e.InputRange;
                    w.Member("activation_scale", JsonTextWriter.Number(e.Input.Scale));
                    w.Member("activation_zero_point", JsonTextWriter.Int(e.Input.ZeroPoint));
                    w.Member("clip_range", "[" + JsonTextWriter.Number(lo) + ", " + JsonTextWriter.Number(hi) + "]");
                    w.Member("weight_clip_range", "[" + JsonTextWriter.Number(e.Clip.Min()) + ", " + JsonTextWriter.Number(e.Clip.Max()) + "]");
                }
            }
            w.EndObject();
        }
        w.EndObject();
        RecipeProvenance.Write(w, "recipe", recipe, provenance);
        w.EndObject();
        return w.ToString();
    }

    private static void WriteConfig(JsonTextWriter w, QuantLayerConfig c)
    {
        if (c.KeepFloat == true) w.Member("keep_float", "true");
        if (c.WeightBits is int wb) w.Member("weight_bits", JsonTextWriter.Int(wb));
        if (c.Granularity is QuantGranularity g)
            w.Member("granularity", JsonTextWriter.Quote(g == QuantGranularity.PerGroup ? "per_group" : g == QuantGranularity.PerTensor ? "per_tensor" : "per_channel"));
        if (c.GroupSize is int gs) w.Member("group_size", JsonTextWriter.Int(gs));
        if (c.ActivationBits is int ab) w.Member("activation_bits", JsonTextWriter.Int(ab));
    }
}
