using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;
using QSam2.Spec.Quant;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Quantization.Recipes;

/// <summary>
/// Reads a <c>.recipe.json</c> (format in specs/recipes/README.md). Every problem is a <see cref="SpecDiagnostic"/>
/// located at the offending value; <see cref="Read"/> throws a <see cref="SpecException"/> listing all of them.
/// Layer names in rules are checked later, against the architecture (<see cref="QuantRecipe.Resolve"/>).
/// </summary>
public static class QuantRecipeReader
{
    private static readonly Dictionary<string, QuantMethod> s_methods = new() { ["ptq"] = QuantMethod.Ptq, ["qat"] = QuantMethod.Qat };
    private static readonly Dictionary<string, QatQuantizer> s_quantizers = new() { ["lsc"] = QatQuantizer.Lsc, ["minmax"] = QatQuantizer.MinMax };
    private static readonly Dictionary<string, ClipMethod> s_clips = new() { ["minmax"] = ClipMethod.MinMax, ["percentile"] = ClipMethod.Percentile, ["mse"] = ClipMethod.Mse };
    private static readonly Dictionary<string, ImageSelection> s_selections = new() { ["first"] = ImageSelection.First, ["condition_number"] = ImageSelection.ConditionNumber };
    private static readonly Dictionary<string, VrcVariant> s_variants = new() { ["tikhonov"] = VrcVariant.Tikhonov, ["truncated"] = VrcVariant.Truncated };
    private static readonly Dictionary<string, VrcScale> s_scales = new() { ["mean_eigenvalue"] = VrcScale.MeanEigenvalue, ["max_eigenvalue"] = VrcScale.MaxEigenvalue };
    private static readonly Dictionary<string, QuantGranularity> s_granularities = new()
    {
        ["per_channel"] = QuantGranularity.PerChannel, ["per_group"] = QuantGranularity.PerGroup, ["per_tensor"] = QuantGranularity.PerTensor,
    };

    public static QuantRecipe ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--recipe {path}: file not found", path);
        return Read(File.ReadAllText(path), path);
    }

    public static QuantRecipe Read(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ctx = new RecipeJson(file);
        QuantRecipe? recipe = null;
        try
        {
            recipe = ReadRoot(JsonParser.Parse(text, file), ctx);
        }
        catch (SpecException e)
        {
            ctx.Diagnostics.AddRange(e.Diagnostics);
        }
        if (ctx.Diagnostics.Count > 0 || recipe is null) throw new SpecException(ctx.Diagnostics);
        return recipe with { Source = file, Sha256 = Sha256.ToHex(Sha256.HashUtf8(text)) };
    }

    private static QuantRecipe? ReadRoot(JsonValue root, RecipeJson ctx)
    {
        if (root is not JsonObject obj)
        {
            ctx.Error(SpecErrorCodes.WrongType, $"a recipe must be a JSON object, found {root.KindName}", root);
            return null;
        }
        var recipe = new QuantRecipe();
        bool sawVersion = false, sawName = false, sawDefaults = false, sawMethod = false;
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "format_version":
                    sawVersion = true;
                    if (ctx.Int("", p, out int v) && v != QuantRecipe.CurrentFormatVersion)
                        ctx.Error(SpecErrorCodes.InvalidValue, $"format_version {v} is not supported (this build reads {QuantRecipe.CurrentFormatVersion})", p.Value);
                    break;
                case "name":
                    sawName = true;
                    if (ctx.String("", p, out var name))
                    {
                        if (name.Length == 0) ctx.Error(SpecErrorCodes.InvalidValue, "name: must not be empty", p.Value);
                        recipe = recipe with { Name = name };
                    }
                    break;
                case "description":
                    if (ctx.String("", p, out var description)) recipe = recipe with { Description = description };
                    break;
                case "method":
                    sawMethod = true;
                    if (ctx.Choice("", p, s_methods, out var method)) recipe = recipe with { Method = method };
                    break;
                case "defaults":
                    sawDefaults = true;
                    if (ctx.Object("", p) is { } d)
                    {
                        var defaults = ReadLayerConfig(d, "defaults.", ctx);
                        if (defaults.KeepFloat != true)
                        {
                            if (defaults.WeightBits is null && d.Find("weight_bits") is null) ctx.Error(SpecErrorCodes.MissingField, "defaults: missing required field \"weight_bits\"", d);
                            if (defaults.ActivationBits is null && d.Find("activation_bits") is null) ctx.Error(SpecErrorCodes.MissingField, "defaults: missing required field \"activation_bits\"", d);
                        }
                        recipe = recipe with { Defaults = defaults };
                    }
                    break;
                case "rules":
                    if (p.Value is JsonArray rules) recipe = recipe with { Rules = ReadRules(rules, ctx) };
                    else ctx.WrongType("", p, "an array of rules");
                    break;
                case "calibration":
                    if (ctx.Object("", p) is { } c) recipe = recipe with { Calibration = ReadCalibration(c, ctx) };
                    break;
                case "vrc":
                    if (ctx.Object("", p) is { } vrc) recipe = recipe with { Vrc = ReadVrc(vrc, ctx) };
                    break;
                case "qat":
                    if (ctx.Object("", p) is { } qat) recipe = recipe with { Qat = ReadQat(qat, ctx) };
                    break;
                case "comment":
                    ctx.String("", p, out _);
                    break;
                default:
                    ctx.Unknown("", p, "format_version, name, description, method, defaults, rules, calibration, vrc, qat, comment");
                    break;
            }
        }
        if (!sawVersion) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"format_version\"", obj);
        if (!sawName) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"name\"", obj);
        if (!sawMethod) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"method\" (\"ptq\" or \"qat\")", obj);
        if (!sawDefaults) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"defaults\"", obj);
        return recipe;
    }

    private static List<QuantLayerRule> ReadRules(JsonArray rules, RecipeJson ctx)
    {
        var list = new List<QuantLayerRule>();
        for (int i = 0; i < rules.Items.Count; i++)
        {
            var where = $"rules[{i}].";
            if (rules.Items[i] is not JsonObject rule)
            {
                ctx.Error(SpecErrorCodes.WrongType, $"rules[{i}]: must be an object with \"match\", found {rules.Items[i].KindName}", rules.Items[i]);
                continue;
            }
            var match = rule.Find("match");
            if (match is null)
            {
                ctx.Error(SpecErrorCodes.MissingField, $"rules[{i}]: missing required field \"match\" (an official layer name, * matches any characters)", rule);
                continue;
            }
            if (!ctx.String(where, match, out var pattern)) continue;
            if (pattern.Length == 0)
            {
                ctx.Error(SpecErrorCodes.InvalidValue, $"{where}match: must not be empty", match.Value);
                continue;
            }
            var config = ReadLayerConfig(rule, where, ctx, "match");
            if (config == new QuantLayerConfig())
                ctx.Error(SpecErrorCodes.MissingField, $"rules[{i}]: sets nothing (give weight_bits, activation_bits, granularity, group_size or keep_float)", rule);
            list.Add(new QuantLayerRule(pattern, config, match.Value.Position, match.Value.Length));
        }
        return list;
    }

    private static QuantLayerConfig ReadLayerConfig(JsonObject obj, string where, RecipeJson ctx, string? extra = null)
    {
        var config = new QuantLayerConfig();
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "weight_bits":
                    if (ctx.Int(where, p, out int wb))
                    {
                        if (Array.IndexOf(QuantSpecReader.AllowedWeightBits, wb) < 0)
                            ctx.Error(QuantErrorCodes.UnsupportedBits, $"{where}weight_bits: {wb} is not supported (allowed: 2, 3, 4, 8)", p.Value);
                        config = config with { WeightBits = wb };
                    }
                    break;
                case "activation_bits":
                    if (ctx.Int(where, p, out int ab))
                    {
                        if (ab < QuantSpecReader.MinActivationBits || ab > QuantSpecReader.MaxActivationBits)
                            ctx.Error(QuantErrorCodes.UnsupportedBits, $"{where}activation_bits: {ab} is not supported (allowed: 2..8)", p.Value);
                        config = config with { ActivationBits = ab };
                    }
                    break;
                case "granularity":
                    if (ctx.Choice(where, p, s_granularities, out var g)) config = config with { Granularity = g };
                    break;
                case "group_size":
                    if (ctx.Int(where, p, out int gs, 1)) config = config with { GroupSize = gs };
                    break;
                case "keep_float":
                    if (ctx.Bool(where, p, out bool keep)) config = config with { KeepFloat = keep };
                    break;
                case "comment":
                    ctx.String(where, p, out _);
                    break;
                default:
                    if (p.Name != extra) ctx.Unknown(where, p, (extra is null ? "" : extra + ", ") + "weight_bits, activation_bits, granularity, group_size, keep_float, comment");
                    break;
            }
        }
        if (config.Granularity == QuantGranularity.PerGroup && config.GroupSize is null)
            ctx.Error(SpecErrorCodes.MissingField, $"{where.TrimEnd('.')}: per_group granularity needs \"group_size\"", obj);
        return config;
    }

    private static CalibrationOptions ReadCalibration(JsonObject obj, RecipeJson ctx)
    {
        const string w = "calibration.";
        var o = new CalibrationOptions();
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "images": if (ctx.Int(w, p, out int n, 1, 100000)) o = o with { Images = n }; break;
                case "selection": if (ctx.Choice(w, p, s_selections, out var s)) o = o with { Selection = s }; break;
                case "candidates": if (ctx.Int(w, p, out int c, 0, 1000000)) o = o with { Candidates = c }; break;
                case "weights": if (ctx.Choice(w, p, s_clips, out var wc)) o = o with { Weights = wc }; break;
                case "activations": if (ctx.Choice(w, p, s_clips, out var ac)) o = o with { Activations = ac }; break;
                case "weight_percentile": if (ctx.Number(w, p, out double wp, 1e-9, 100)) o = o with { WeightPercentile = wp }; break;
                case "activation_percentile": if (ctx.Number(w, p, out double ap, 1e-9, 100)) o = o with { ActivationPercentile = ap }; break;
                case "seed": if (ctx.Int(w, p, out int seed)) o = o with { Seed = seed }; break;
                case "comment": ctx.String(w, p, out _); break;
                default: ctx.Unknown(w, p, "images, selection, candidates, weights, activations, weight_percentile, activation_percentile, seed"); break;
            }
        }
        return o;
    }

    private static VrcOptions ReadVrc(JsonObject obj, RecipeJson ctx)
    {
        const string w = "vrc.";
        var o = new VrcOptions();
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "enabled": if (ctx.Bool(w, p, out bool e)) o = o with { Enabled = e }; break;
                case "variant": if (ctx.Choice(w, p, s_variants, out var v)) o = o with { Variant = v }; break;
                case "lambda": if (ctx.Number(w, p, out double l, 0, 1e6)) o = o with { Lambda = l }; break;
                case "relative_to": if (ctx.Choice(w, p, s_scales, out var s)) o = o with { Scale = s }; break;
                case "bias_correction": if (ctx.Bool(w, p, out bool b)) o = o with { BiasCorrection = b }; break;
                case "layers": if (ctx.String(w, p, out var layers) && layers.Length > 0) o = o with { Layers = layers }; break;
                case "comment": ctx.String(w, p, out _); break;
                default: ctx.Unknown(w, p, "enabled, variant, lambda, relative_to, bias_correction, layers"); break;
            }
        }
        return o;
    }

    private static QatOptions ReadQat(JsonObject obj, RecipeJson ctx)
    {
        const string w = "qat.";
        var o = new QatOptions();
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "quantizer": if (ctx.Choice(w, p, s_quantizers, out var q)) o = o with { Quantizer = q }; break;
                case "steps": if (ctx.Int(w, p, out int steps, 1, 10000000)) o = o with { Steps = steps }; break;
                case "batch_size": if (ctx.Int(w, p, out int bs, 1, 4096)) o = o with { BatchSize = bs }; break;
                case "objects_per_image": if (ctx.Int(w, p, out int opi, 1, 4096)) o = o with { ObjectsPerImage = opi }; break;
                case "lr": if (ctx.Number(w, p, out double lr, 0, 10)) o = o with { LearningRate = lr }; break;
                case "quantizer_lr": if (ctx.Number(w, p, out double qlr, 0, 10)) o = o with { QuantizerLearningRate = qlr }; break;
                case "momentum": if (ctx.Number(w, p, out double m, 0, 1)) o = o with { Momentum = m }; break;
                case "minmax_decay": if (ctx.Number(w, p, out double dec, 0, 1)) o = o with { MinMaxDecay = dec }; break;
                case "distill_weight": if (ctx.Number(w, p, out double dw, 0, 1e6)) o = o with { DistillWeight = dw }; break;
                case "ground_truth_weight": if (ctx.Number(w, p, out double gw, 0, 1e6)) o = o with { GroundTruthWeight = gw }; break;
                case "weight_decay": if (ctx.Number(w, p, out double wd, 0, 10)) o = o with { WeightDecay = wd }; break;
                case "gradient_clip": if (ctx.Number(w, p, out double gc, 0, 1e6)) o = o with { GradientClip = gc }; break;
                case "save_every": if (ctx.Int(w, p, out int se, 0)) o = o with { SaveEvery = se }; break;
                case "seed": if (ctx.Int(w, p, out int seed)) o = o with { Seed = seed }; break;
                case "comment": ctx.String(w, p, out _); break;
                default:
                    ctx.Unknown(w, p, "quantizer, steps, batch_size, objects_per_image, lr, quantizer_lr, momentum, minmax_decay, distill_weight, ground_truth_weight, weight_decay, gradient_clip, save_every, seed");
                    break;
            }
        }
        return o;
    }
}
