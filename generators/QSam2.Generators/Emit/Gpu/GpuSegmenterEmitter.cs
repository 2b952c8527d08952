using System.Globalization;
using QSam2.Generators.Helpers;
using QSam2.Generators.Model;

namespace QSam2.Generators.Emit.Gpu;

/// <summary>
/// Emits <c>&lt;Class&gt;.Gpu.g.cs</c>, the GPU backend of a segmenter (only when the compilation references QSam2.Gpu):
/// one shape struct per distinct layer shape (every size, bit-width, granularity, input form and epilogue flag a
/// constant, so ILGPU compiles one specialized kernel per shape), the device copy of every image-path layer, and the
/// image path itself: the CPU path's steps printed against <c>GpuSam2Ops</c> (same arguments, same arena offsets, on the
/// device arena), then the cached image embedding and high-res features copied back for the CPU prompt path.
/// Implements the hooks of <see cref="GpuBackendHooks"/>. Prints the lowered model; decides nothing.
/// </summary>
internal static class GpuSegmenterEmitter
{
    /// <summary>The assembly whose reference switches the GPU backend on.</summary>
    public const string AssemblyName = "QSam2.Gpu";

    /// <summary>Tracking name of the "is QSam2.Gpu referenced" pipeline step.</summary>
    public const string TrackingName = "GpuReferenced";

    private const string Gpu = "global::QSam2.Gpu.Segmenters";
    private const string Kernels = "global::QSam2.Gpu.Kernels";

    /// <summary>Glue steps the device path implements (QSam2.Gpu.Segmenters.GpuSam2Ops, same parameter names as Sam2Ops).</summary>
    private static readonly HashSet<string> s_deviceSteps = new(StringComparer.Ordinal)
    {
        "Add", "AddParameter", "AddParameterTo", "AddRowVector", "BroadcastRow", "Copy", "Gelu", "Relu", "Scale", "WriteRows",
        "LayerNorm", "WindowPartition", "WindowUnpartitionAdd", "MaxPool2x2", "NearestUp2Add", "HieraAttention", "Attention",
    };

    public static GeneratedSource Emit(SegmenterModel m, CancellationToken cancellationToken)
    {
        var w = new SourceWriter();
        var units = m.Layers.ToDictionary(u => u.Member + "_Run", StringComparer.Ordinal);
        var layers = new List<LayerUnit>();
        var unsupported = new List<string>();
        foreach (var s in m.ImageSteps)
        {
            if (units.TryGetValue(s.Call, out var u)) layers.Add(u);
            else if (!IsDeviceStep(s.Call)) unsupported.Add(s.Call);
        }
        var shapes = new Dictionary<GpuGemmShape, (string Name, List<string> Layers)>();
        foreach (var u in layers)
        {
            var shape = GpuGemmShape.Of(u);
            if (!shapes.TryGetValue(shape, out var entry))
            {
                entry = ("GpuShape" + shapes.Count.ToString(CultureInfo.InvariantCulture), new List<string>());
                shapes[shape] = entry;
            }
            entry.Layers.Add(u.Kernel.Layer);
        }

        EmitHelpers.Header(w, "GPU backend of " + m.Description);
        w.Line($"// {layers.Count} image-path layers on the device, {shapes.Count} distinct kernel shapes; prompt encoder and mask decoder stay on the CPU path.");
        w.Line();
        EmitHelpers.OpenClass(w, m.Namespace, m.Accessibility, m.ClassName, "global::System.IDisposable", attributes: false);

        w.Line($"private {Gpu}.GpuSegmenterBackend? _gpu;");
        foreach (var u in layers) w.Line($"private {Gpu}.GpuLinearLayer {Field(u)} = null!;");
        w.Line();

        Enable(w, m, layers, unsupported);
        Encode(w, m, units, cancellationToken);
        foreach (var u in layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Run(w, u, shapes[GpuGemmShape.Of(u)].Name);
        }

        w.Summary("Releases the device memory of the GPU backend (nothing to release on the CPU backend).");
        w.Line("public void Dispose()");
        w.Line("{");
        w.Line("    _gpu?.Dispose();");
        w.Line("    _gpu = null;");
        w.Line("}");

        foreach (var pair in shapes.OrderBy(p => p.Value.Name, StringComparer.Ordinal))
        {
            w.Line();
            w.Line("// " + pair.Key.Describe());
            w.Line("// used by " + string.Join(", ", pair.Value.Layers));
            w.Open($"private readonly struct {pair.Value.Name} : {Kernels}.IGemmShape");
            foreach (var member in pair.Key.Members()) w.Line(member);
            w.Close();
        }

        EmitHelpers.CloseClass(w, m.Namespace);
        var hint = (m.Namespace.Length == 0 ? m.ClassName : m.Namespace + "." + m.ClassName) + ".Gpu.g.cs";
        return new GeneratedSource(hint, w.ToString());
    }

    private static bool IsDeviceStep(string call)
    {
        const string prefix = "Sam2Ops.";
        return call.StartsWith(prefix, StringComparison.Ordinal) && s_deviceSteps.Contains(call.Substring(prefix.Length));
    }

    private static string Field(LayerUnit u) => "_g" + u.Member;

    /// <summary>The hook that opens the device and uploads every image-path layer.</summary>
    private static void Enable(SourceWriter w, SegmenterModel m, List<LayerUnit> layers, List<string> unsupported)
    {
        string rt = EmitHelpers.Runtime;
        w.Line($"partial void EnableGpuBackend({GpuBackendHooks.Backend} backend, {rt}.WeightSource w, ref bool compiled)");
        w.Line("{");
        w.Line("    compiled = true;");
        if (unsupported.Count > 0)
        {
            // A step the device path lacks: fail at selection with the names, never silently mix paths.
            w.Line($"    throw new global::System.NotSupportedException(Description + {Lowering.Literal.String(": the GPU backend has no kernel for image-path steps " + string.Join(", ", unsupported.Distinct()))});");
            w.Line("}");
            w.Line();
            return;
        }
        w.Line($"    var g = {Gpu}.GpuSegmenterBackend.Create(backend, ArenaBytes, Description);");
        w.Line("    try");
        w.Line("    {");
        foreach (var u in layers)
        {
            var k = u.Kernel;
            string layout = k.Op == KernelOp.Im2ColGemm || u.WeightShape.Count == 4 ? "Conv" : "Linear";
            w.Line($"        {Field(u)} = g.LoadLayer(w, {Lowering.Literal.String(k.Layer)}, {rt}.WeightLayout.{layout}, {EmitHelpers.IntArray(u.WeightShape)}, "
                + $"hasBias: {B(u.HasBias)}, quantized: {B(k.Quantized)}, weightBits: {k.WeightBits}, groupSize: {k.GroupSize}, activationBits: {k.ActivationBits});");
        }
        w.Line("    }");
        w.Line("    catch");
        w.Line("    {");
        w.Line("        g.Dispose();");
        w.Line("        throw;");
        w.Line("    }");
        w.Line("    _gpu?.Dispose();");
        w.Line("    _gpu = g;");
        w.Line("}");
        w.Line();
    }

    /// <summary>The image path on the device: upload, the steps, download of the cached outputs.</summary>
    private static void Encode(SourceWriter w, SegmenterModel m, Dictionary<string, LayerUnit> units, CancellationToken cancellationToken)
    {
        string rt = EmitHelpers.Runtime;
        w.Line($"partial void EncodeImageOnGpu({rt}.SegmenterArena a, ref bool done)");
        w.Line("{");
        w.Line("    var g = _gpu;");
        w.Line("    if (g is null) return;");
        long imageBytes = 4L * 3 * m.ImageSize * m.ImageSize;
        w.Line($"    g.Upload(a, {L(m.ImageInputOffset)}, {L(imageBytes)}); // preprocessed image [3, {m.ImageSize}, {m.ImageSize}]");
        foreach (var s in m.ImageSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (s.Comment.Length > 0) w.Line("    // " + s.Comment);
            string call = units.ContainsKey(s.Call)
                ? s.Call + "Gpu"
                : Gpu + ".GpuSam2Ops." + s.Call.Substring("Sam2Ops.".Length);
            var args = s.Args.Select(a => a.Name + ": " + (a.Name == "a" ? "g" : a.Literal));
            w.Line("    " + call + "(" + string.Join(", ", args) + ");");
        }
        foreach (var b in m.Buffers.Where(IsCachedOutput).OrderBy(b => b.Offset))
            w.Line($"    g.Download(a, {L(b.Offset)}, {L(b.Bytes)}); // {b.Name}");
        w.Line("    done = true;");
        w.Line("}");
        w.Line();
    }

    /// <summary>What the prompt path reads after SetImage: the image embedding and the high-res features.</summary>
    private static bool IsCachedOutput(PlannedBuffer b) =>
        b.Name == "image_embed" || b.Name.StartsWith("high_res_feats.", StringComparison.Ordinal);

    /// <summary>One layer's device GEMM with its constant operands.</summary>
    private static void Run(SourceWriter w, LayerUnit u, string shape)
    {
        var k = u.Kernel;
        string quantizeFor = u.QuantizeForMember is null ? "null" : "_g" + u.QuantizeForMember;
        string kernel = k.Quantized
            ? $"QuantGemm<{Kernels}.W{k.WeightBits}Codec, {shape}>"
            : $"FloatGemm<{shape}>";
        w.Line($"// {k.Layer}: {k.Precision}, [{k.N} × {k.K}]");
        w.Line($"private void {u.Member}_RunGpu({Gpu}.GpuSegmenterBackend a, int rows) =>");
        w.Line($"    {Gpu}.GpuSam2Ops.{kernel}(a, {Field(u)}, input: {L(u.Input)}, rows: rows, output: {L(u.Output)}, residual: {L(u.ResidualOffset)}, quantizeFor: {quantizeFor});");
        w.Line();
    }

    private static string B(bool v) => v ? "true" : "false";

    private static string L(long v) => Lowering.Literal.Long(v);
}
