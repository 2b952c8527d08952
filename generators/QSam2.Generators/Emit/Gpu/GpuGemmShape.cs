using System.Globalization;
using QSam2.Generators.Model;

namespace QSam2.Generators.Emit.Gpu;

/// <summary>
/// The compile-time description of one GPU GEMM (QSam2.Gpu.Kernels.IGemmShape), derived from a layer's lowered kernel.
/// Layers with equal shapes share one struct and therefore one compiled device kernel.
/// </summary>
internal sealed record GpuGemmShape(int K, int N, int GroupSize, string Input, bool HasBias, bool Gelu, bool Residual, bool QuantizeOutput,
    int ConvChannels, int ConvHeight, int ConvWidth, int ConvKernel, int ConvStride, int ConvPadding)
{
    public static GpuGemmShape Of(LayerUnit u)
    {
        var k = u.Kernel;
        bool conv = k.Op == KernelOp.Im2ColGemm;
        string input = conv ? (u.InputNchw ? "Im2ColPlanar" : "Im2ColChannelsLast") : u.InputIsCodes ? "Codes" : "Float";
        int group = k.Quantized && k.Granularity == QSam2.Spec.Quant.QuantGranularity.PerGroup && k.GroupSize > 0 ? k.GroupSize : k.K;
        return new GpuGemmShape(k.K, k.N, group, input, u.HasBias, k.Activation == EpilogueActivation.Gelu, u.ResidualOffset >= 0,
            u.QuantizeForMember != null,
            conv ? u.InChannels : 0, conv ? u.InHeight : 0, conv ? u.InWidth : 0, conv ? u.KernelSize : 0, conv ? u.Stride : 0, conv ? u.Padding : 0);
    }

    /// <summary>One-line description for the struct's comment.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"K {K}", $"N {N}" };
        if (GroupSize != K) parts.Add($"groups of {GroupSize}");
        parts.Add(Input switch
        {
            "Codes" => "code input",
            "Float" => "float input",
            _ => $"{ConvKernel}×{ConvKernel}/{ConvStride} conv over {ConvChannels}×{ConvHeight}×{ConvWidth} ({(Input == "Im2ColPlanar" ? "planar" : "channels-last")})",
        });
        if (HasBias) parts.Add("bias");
        if (Gelu) parts.Add("GELU");
        if (Residual) parts.Add("residual");
        parts.Add(QuantizeOutput ? "code output" : "float output");
        return string.Join(", ", parts);
    }

    /// <summary>The struct's members, one constant each.</summary>
    public IEnumerable<string> Members()
    {
        yield return $"public int K => {I(K)};";
        yield return $"public int N => {I(N)};";
        yield return $"public int GroupSize => {I(GroupSize)};";
        yield return $"public global::QSam2.Gpu.Kernels.GemmInput Input => global::QSam2.Gpu.Kernels.GemmInput.{Input};";
        yield return $"public bool HasBias => {B(HasBias)};";
        yield return $"public bool Gelu => {B(Gelu)};";
        yield return $"public bool Residual => {B(Residual)};";
        yield return $"public bool QuantizeOutput => {B(QuantizeOutput)};";
        yield return $"public int ConvChannels => {I(ConvChannels)};";
        yield return $"public int ConvHeight => {I(ConvHeight)};";
        yield return $"public int ConvWidth => {I(ConvWidth)};";
        yield return $"public int ConvKernel => {I(ConvKernel)};";
        yield return $"public int ConvStride => {I(ConvStride)};";
        yield return $"public int ConvPadding => {I(ConvPadding)};";
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string B(bool v) => v ? "true" : "false";
}
