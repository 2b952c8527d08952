using QSam2.Generators.Helpers;
using QSam2.Generators.Model;

namespace QSam2.Generators.Emit.Gpu;

/// <summary>
/// The few members every segmenter's main file carries so that <c>Sam2Backend</c> is one option on the segmenter,
/// whether or not the GPU backend is compiled in: <c>Load(path, backend)</c>, the <see cref="Backend"/>-selection logic
/// and two partial-method hooks. <see cref="GpuSegmenterEmitter"/> implements the hooks when the compilation references
/// QSam2.Gpu; otherwise the compiler removes the calls and asking for a GPU backend fails with a message that says why
/// (NativeAOT builds never reference QSam2.Gpu: ILGPU needs the JIT).
/// </summary>
internal static class GpuBackendHooks
{
    internal const string Backend = "global::QSam2.Runtime.Segmenters.Sam2Backend";

    /// <summary>Members for the main file (printed after <c>Load</c>).</summary>
    public static void Members(SourceWriter w, SegmenterModel m)
    {
        string rt = EmitHelpers.Runtime;
        bool fp32 = m.QuantName.Length == 0;
        w.Summary("Where the image encoder runs (Sam2Backend.Cpu unless loaded with another backend).");
        w.Line($"public {Backend} Backend {{ get; private set; }}");
        w.Line();
        w.Summary("Loads weights (as Load(path)) and selects where the image encoder runs. The GPU backends need a project that references QSam2.Gpu and a JIT runtime (not NativeAOT).");
        w.Line($"public static {m.ClassName} Load(string path, {Backend} backend)");
        w.Line("{");
        w.Line($"    var w = {rt}.WeightSource.Open(path, QswLayout, allowCheckpoint: {(fp32 ? "true" : "false")});");
        w.Line($"    var s = new {m.ClassName}(w);");
        w.Line("    s.SelectBackend(backend, w);");
        w.Line("    return s;");
        w.Line("}");
        w.Line();
        w.Line($"private void SelectBackend({Backend} backend, {rt}.WeightSource w)");
        w.Line("{");
        w.Line($"    if (backend == {Backend}.Cpu) return;");
        w.Line($"    if (backend != {Backend}.Gpu && backend != {Backend}.GpuSimulated) throw new global::System.ArgumentOutOfRangeException(nameof(backend), backend, Description + \": unknown backend\");");
        w.Line("    bool compiled = false;");
        w.Line("    EnableGpuBackend(backend, w, ref compiled);");
        w.Line("    if (!compiled)");
        w.Line("        throw new global::System.NotSupportedException(Description + \": the GPU backend is not compiled into this segmenter: its project does not reference QSam2.Gpu \"");
        w.Line("            + \"(NativeAOT builds leave it out, because ILGPU compiles kernels at run time). Use Sam2Backend.Cpu, or a JIT build that references QSam2.Gpu.\");");
        w.Line("    Backend = backend;");
        w.Line("}");
        w.Line();
        w.Line($"partial void EnableGpuBackend({Backend} backend, {rt}.WeightSource w, ref bool compiled);");
        w.Line();
        w.Line($"partial void EncodeImageOnGpu({rt}.SegmenterArena a, ref bool done);");
        w.Line();
    }

    /// <summary>First lines of <c>EncodeImage</c>: hand over to the GPU path when it is enabled.</summary>
    public static void EncodeImagePrologue(SourceWriter w, string indent)
    {
        w.Line(indent + "bool onGpu = false;");
        w.Line(indent + "EncodeImageOnGpu(a, ref onGpu);");
        w.Line(indent + "if (onGpu) return;");
    }
}
