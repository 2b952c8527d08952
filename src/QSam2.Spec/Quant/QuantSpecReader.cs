using System.Globalization;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Json;
using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// Reads a <c>.quant.json</c> into a <see cref="QuantSpec"/> (schema in <c>specs/README.md</c>). Checks what
/// can be checked without the architecture: JSON syntax, field names and types, bit-widths allowed by the
/// format, granularity text, hash syntax. Layer names and shapes are checked by <see cref="QuantResolver"/>.
/// Every problem becomes a <see cref="SpecDiagnostic"/> with the line and column of the offending value.
/// </summary>
public static class QuantSpecReader
{
    public static readonly int[] AllowedWeightBits = { 2, 3, 4, 8 };
    public const int MinActivationBits = 2;
    public const int MaxActivationBits = 8;

    /// <summary>Reads or throws a <see cref="SpecException"/> listing every problem.</summary>
    public static QuantSpec Read(string text, string file)
    {
        var spec = TryRead(text, file, out var diagnostics);
        if (diagnostics.Count > 0) throw new SpecException(diagnostics);
        return spec!;
    }

    /// <summary>Reads and collects problems; returns null when the spec is unusable.</summary>
    public static QuantSpec? TryRead(string text, string file, out IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        var ctx = new Context(file);
        QuantSpec? spec = null;
        try
        {
            var root = JsonParser.Parse(text, file);
            spec = ReadRoot(root, ctx);
        }
        catch (SpecException e)
        {
            ctx.Diagnostics.AddRange(e.Diagnostics);
        }
        diagnostics = ctx.Diagnostics;
        return ctx.Diagnostics.Count == 0 ? spec : null;
    }

    private static QuantSpec? ReadRoot(JsonValue root, Context ctx)
    {
        if (root is not JsonObject obj)
        {
            ctx.Error(SpecErrorCodes.WrongType, $"a quant spec must be a JSON object, found {root.KindName}", root);
            return null;
        }
        var spec = new QuantSpec();
        bool sawVersion = false, sawName = false, sawArch = false, sawDefaults = false;
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "format_version":
                    sawVersion = true;
                    if (ctx.Int(p, out int version))
                    {
                        if (version != QuantSpec.CurrentFormatVersion)
                            ctx.Error(QuantErrorCodes.UnsupportedFormatVersion, $"format_version {version} is not supported (this build reads {QuantSpec.CurrentFormatVersion})", p.Value);
                        spec = spec with { FormatVersion = version };
                    }
                    break;
                case "name":
                    sawName = true;
                    if (ctx.String(p, out var name)) spec = spec with { Name = name };
                    break;
                case "arch":
                    sawArch = true;
                    if (ctx.String(p, out var arch)) spec = spec with { Arch = arch, ArchPosition = p.Value.Position, ArchLength = p.Value.Length };
                    break;
                case "arch_sha256":
                    if (ctx.Hash(p, out var archHash)) spec = spec with { ArchSha256 = archHash, ArchSha256Position = p.Value.Position, ArchSha256Length = p.Value.Length };
                    break;
                case "weights":
                    if (ctx.String(p, out var weights)) spec = spec with { Weights = weights };
                    break;
                case "weights_sha256":
                    if (ctx.Hash(p, out var weightsHash)) spec = spec with { WeightsSha256 = weightsHash };
                    break;
                case "description":
                    ctx.String(p, out _);
                    break;
                case "defaults":
                    sawDefaults = true;
                    if (p.Value is JsonObject d)
                    {
                        var defaults = ReadLayerConfig(d, "defaults", ctx);
                        if (defaults.KeepFloat != true)
                        {
                            // Only report absence; a present but invalid value already has its own diagnostic.
                            if (d.Find("weight_bits") is null) ctx.Error(SpecErrorCodes.MissingField, "defaults: missing required field \"weight_bits\" (or set \"keep_float\": true)", d);
                            if (d.Find("activation_bits") is null) ctx.Error(SpecErrorCodes.MissingField, "defaults: missing required field \"activation_bits\" (or set \"keep_float\": true)", d);
                        }
                        spec = spec with { Defaults = defaults, DefaultsPosition = d.Position };
                    }
                    else
                    {
                        ctx.WrongType(p, "object");
                    }
                    break;
                case "layers":
                    if (p.Value is JsonObject layers)
                    {
                        var rules = new List<QuantLayerRule>();
                        foreach (var lp in layers.Properties)
                        {
                            if (lp.Name.Length == 0)
                            {
                                ctx.Error(SpecErrorCodes.InvalidValue, "layers: empty layer name", lp.NamePosition, lp.NameLength);
                                continue;
                            }
                            if (lp.Value is not JsonObject lo)
                            {
                                ctx.WrongType(lp, "object");
                                continue;
                            }
                            rules.Add(new QuantLayerRule(lp.Name, ReadLayerConfig(lo, "layers." + lp.Name, ctx), lp.NamePosition, lp.NameLength));
                        }
                        spec = spec with { Layers = rules.ToArray() };
                    }
                    else
                    {
                        ctx.WrongType(p, "object");
                    }
                    break;
                case "recipe":
                    if (p.Value is JsonObject recipe)
                    {
                        var entries = new List<QuantRecipeEntry>();
                        Flatten(recipe, "", entries);
                        spec = spec with { Recipe = entries.ToArray() };
                    }
                    else
                    {
                        ctx.WrongType(p, "object");
                    }
                    break;
                default:
                    ctx.Error(SpecErrorCodes.UnknownField, $"unknown field \"{p.Name}\" (expected format_version, name, arch, arch_sha256, weights, weights_sha256, description, defaults, layers, recipe)", p.NamePosition, p.NameLength);
                    break;
            }
        }
        if (!sawVersion) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"format_version\"", obj);
        if (!sawName) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"name\"", obj);
        if (!sawArch) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"arch\"", obj);
        if (!sawDefaults) ctx.Error(SpecErrorCodes.MissingField, "missing required field \"defaults\"", obj);
        return spec;
    }

    private static QuantLayerConfig ReadLayerConfig(JsonObject obj, string where, Context ctx)
    {
        var config = new QuantLayerConfig();
        JsonProperty? groupSize = null;
        foreach (var p in obj.Properties)
        {
            switch (p.Name)
            {
                case "weight_bits":
                    if (ctx.Int(p, out int wb))
                    {
                        if (Array.IndexOf(AllowedWeightBits, wb) < 0)
                            ctx.Error(QuantErrorCodes.UnsupportedBits, $"{where}.weight_bits: {wb} is not supported (allowed: 2, 3, 4, 8)", p.Value);
                        config = config with { WeightBits = wb };
                    }
                    break;
                case "activation_bits":
                    if (ctx.Int(p, out int ab))
                    {
                        if (ab < MinActivationBits || ab > MaxActivationBits)
                            ctx.Error(QuantErrorCodes.UnsupportedBits, $"{where}.activation_bits: {ab} is not supported (allowed: {MinActivationBits}..{MaxActivationBits})", p.Value);
                        config = config with { ActivationBits = ab };
                    }
                    break;
                case "granularity":
                    if (ctx.String(p, out var g))
                    {
                        QuantGranularity? parsed = g switch
                        {
                            "per_channel" => QuantGranularity.PerChannel,
                            "per_group" => QuantGranularity.PerGroup,
                            "per_tensor" => QuantGranularity.PerTensor,
                            _ => null,
                        };
                        if (parsed is null)
                            ctx.Error(SpecErrorCodes.InvalidValue, $"{where}.granularity: \"{g}\" is not one of per_channel, per_group, per_tensor", p.Value);
                        config = config with { Granularity = parsed };
                    }
                    break;
                case "group_size":
                    groupSize = p;
                    if (ctx.Int(p, out int gs))
                    {
                        if (gs <= 0) ctx.Error(SpecErrorCodes.InvalidValue, $"{where}.group_size: must be a positive integer, found {gs}", p.Value);
                        config = config with { GroupSize = gs };
                    }
                    break;
                case "keep_float":
                    if (p.Value is JsonBoolean b) config = config with { KeepFloat = b.Value };
                    else ctx.WrongType(p, "boolean");
                    break;
                // Calibrated numbers and notes a person may keep next to the structure; the .qsw is authoritative.
                case "activation_scale":
                    if (p.Value is not JsonNumber) ctx.WrongType(p, "number");
                    break;
                case "activation_zero_point":
                    ctx.Int(p, out _);
                    break;
                case "clip_range":
                case "weight_clip_range":
                    if (p.Value is not JsonArray { Items.Count: 2 } arr || arr.Items[0] is not JsonNumber || arr.Items[1] is not JsonNumber)
                        ctx.WrongType(p, "array of two numbers");
                    break;
                case "comment":
                    ctx.String(p, out _);
                    break;
                default:
                    ctx.Error(SpecErrorCodes.UnknownField, $"{where}: unknown field \"{p.Name}\" (expected weight_bits, granularity, group_size, activation_bits, keep_float; informational: activation_scale, activation_zero_point, clip_range, weight_clip_range, comment)", p.NamePosition, p.NameLength);
                    break;
            }
        }
        if (groupSize != null && config.Granularity is QuantGranularity.PerChannel or QuantGranularity.PerTensor)
            ctx.Error(SpecErrorCodes.InvalidValue, $"{where}.group_size: only meaningful with \"granularity\": \"per_group\"", groupSize.NamePosition, groupSize.NameLength);
        return config;
    }

    private static void Flatten(JsonObject obj, string prefix, List<QuantRecipeEntry> into)
    {
        foreach (var p in obj.Properties)
        {
            var key = prefix + p.Name;
            switch (p.Value)
            {
                case JsonObject o: Flatten(o, key + ".", into); break;
                case JsonString s: into.Add(new QuantRecipeEntry(key, s.Value)); break;
                case JsonNumber n: into.Add(new QuantRecipeEntry(key, n.Text)); break;
                case JsonBoolean b: into.Add(new QuantRecipeEntry(key, b.Value ? "true" : "false")); break;
                case JsonNull: into.Add(new QuantRecipeEntry(key, "null")); break;
                case JsonArray a: into.Add(new QuantRecipeEntry(key, "[" + a.Items.Count.ToString(CultureInfo.InvariantCulture) + " items]")); break;
            }
        }
    }

    private sealed class Context
    {
        public Context(string file) => File = file;

        public string File { get; }

        public List<SpecDiagnostic> Diagnostics { get; } = new();

        public void Error(string code, string message, JsonValue at) => Diagnostics.Add(new SpecDiagnostic(code, message, File, at.Position, at.Length));

        public void Error(string code, string message, TextPosition at, int length) => Diagnostics.Add(new SpecDiagnostic(code, message, File, at, length));

        public void WrongType(JsonProperty p, string expected) =>
            Error(SpecErrorCodes.WrongType, $"\"{p.Name}\" must be {Article(expected)}, found {p.Value.KindName}", p.Value);

        public bool Int(JsonProperty p, out int value)
        {
            value = 0;
            if (p.Value is JsonNumber n && n.TryGetInt32(out value)) return true;
            WrongType(p, "integer");
            return false;
        }

        public bool String(JsonProperty p, out string value)
        {
            value = "";
            if (p.Value is JsonString s)
            {
                value = s.Value;
                return true;
            }
            WrongType(p, "string");
            return false;
        }

        public bool Hash(JsonProperty p, out string value)
        {
            if (!String(p, out value)) return false;
            bool ok = value.Length == 64;
            foreach (char c in value) ok &= (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) Error(SpecErrorCodes.InvalidValue, $"\"{p.Name}\" must be 64 lower-case hexadecimal digits (a SHA-256), found \"{value}\"", p.Value);
            return ok;
        }

        private static string Article(string noun) => noun.StartsWith("a", StringComparison.Ordinal) || noun.StartsWith("i", StringComparison.Ordinal) || noun.StartsWith("o", StringComparison.Ordinal) ? "an " + noun : "a " + noun;
    }
}
