using QSam2.Gpu.Kernels;
using QSam2.Gpu.Ptx;
using QSam2.Tests.Shared;

namespace QSam2.Gpu.Tests.Ptx;

/// <summary>sam2.1_hiera_t stage-1 <c>mlp.layers.0</c> at W4A8 per channel: K 96, N 384, float input quantized on load, GELU, output codes.</summary>
internal readonly struct HieraTStage1MlpUp : IGemmShape
{
    public int K => 96; public int N => 384; public int GroupSize => 96; public GemmInput Input => GemmInput.Float;
    public bool HasBias => true; public bool Gelu => true; public bool Residual => false; public bool QuantizeOutput => true;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>
/// The PTX of one integer GEMM kernel, produced by ILGPU's PTX backend without a GPU, held as a golden file. A missing or
/// different snapshot fails and writes <c>*.received.ptx</c> next to it; <c>QSAM2_ACCEPT_SNAPSHOTS=1</c> (re)writes it
/// deliberately. The content checks pin what the kernel must contain whatever ILGPU version produced it.
/// ILGPU compiles the kernel from QSam2.Gpu's IL, which the C# compiler emits differently in Debug and Release, so
/// there is one golden file per configuration of that assembly (CI tests Debug; bench/gpu runs Release).
/// </summary>
[Trait("Category", "Cuda")]
public class PtxSnapshotTests
{
    private const string AcceptVariable = "QSAM2_ACCEPT_SNAPSHOTS";

    private static string SnapshotPath(string name) =>
        Path.Combine(ReferenceFixture.RepoRoot(), "tests", "QSam2.Gpu.Tests", "Ptx", "Snapshots", name + "." + KernelConfiguration + ".ptx");

    /// <summary>Debug or Release, as QSam2.Gpu (where the kernels' IL lives) was built.</summary>
    private static string KernelConfiguration =>
        typeof(QuantGemmKernel).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled) ? "Debug" : "Release";

    [Fact]
    public void QuantGemm_W4A8_HieraTStage1MlpUp_MatchesSnapshot()
    {
        var ptx = Normalize(PtxCompiler.QuantGemm<W4Codec, HieraTStage1MlpUp>());

        Assert.Contains(".target sm_80", ptx);
        Assert.Contains("dp4a.u32.s32", ptx);       // int8 dot products through inline PTX
        Assert.Contains("fma.rn.f32", ptx);         // the epilogue's single-rounding FMAs
        Assert.Contains("cvt.rni.f32.f32", ptx);    // round half to even for the quantizers
        Assert.Contains("bar.sync", ptx);           // shared-memory tiles
        Assert.Contains(".shared", ptx);
        Assert.Equal(ptx, Normalize(PtxCompiler.QuantGemm<W4Codec, HieraTStage1MlpUp>())); // reproducible

        var path = SnapshotPath("QuantGemm_W4A8_HieraTStage1MlpUp");
        var received = Path.ChangeExtension(path, ".received.ptx");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(path, ptx);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (!File.Exists(path))
        {
            File.WriteAllText(received, ptx);
            Assert.Fail($"missing PTX snapshot {path} (wrote {Path.GetFileName(received)}; set {AcceptVariable}=1 to accept)");
        }
        var expected = Normalize(File.ReadAllText(path));
        if (expected != ptx)
        {
            File.WriteAllText(received, ptx);
            Assert.Fail($"PTX differs from {path} at line {FirstDifference(expected, ptx)} (wrote {Path.GetFileName(received)}; set {AcceptVariable}=1 to accept)");
        }
        if (File.Exists(received)) File.Delete(received);
    }

    [Fact]
    public void FloatGemm_CompilesToPtxWithFma()
    {
        var ptx = PtxCompiler.FloatGemm<HieraTStage1MlpUp>();
        Assert.Contains("fma.rn.f32", ptx);
        Assert.DoesNotContain("dp4a", ptx);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static int FirstDifference(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i]) return i + 1;
        return Math.Min(x.Length, y.Length) + 1;
    }
}
