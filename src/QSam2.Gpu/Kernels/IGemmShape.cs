namespace QSam2.Gpu.Kernels;

/// <summary>Where a GEMM's A operand comes from (A is [rows, K]).</summary>
public enum GemmInput
{
    /// <summary>uint8 activation codes, row stride in elements (quantized layers whose producer wrote codes).</summary>
    Codes,
    /// <summary>float32 rows; a quantized layer quantizes them while loading its tile (no separate pass, no scratch).</summary>
    Float,
    /// <summary>k×k convolution patches gathered on the fly from a planar <c>[C, H, W]</c> float map.</summary>
    Im2ColPlanar,
    /// <summary>k×k convolution patches gathered on the fly from a channels-last <c>[H·W, C]</c> float map.</summary>
    Im2ColChannelsLast,
}

/// <summary>
/// Everything about one GEMM that the generator knows at compile time: sizes, granularity, where A comes from and the
/// fused epilogue. Generated code declares one small struct per distinct layer shape that returns constants; the GEMM
/// kernels take it as a type argument, so ILGPU compiles one kernel per shape with every size and flag folded in
/// (the GPU counterpart of the CPU path's constant-argument calls).
/// </summary>
public interface IGemmShape
{
    /// <summary>Reduction length.</summary>
    int K { get; }

    /// <summary>Output columns.</summary>
    int N { get; }

    /// <summary>Consecutive k sharing one weight scale: K for per-channel (and float) layers, G for per-group.</summary>
    int GroupSize { get; }

    GemmInput Input { get; }

    bool HasBias { get; }

    /// <summary>Exact-erf GELU after bias / dequantization.</summary>
    bool Gelu { get; }

    /// <summary>Add a float residual [rows, N] after GELU.</summary>
    bool Residual { get; }

    /// <summary>Write the next quantized layer's input codes instead of floats.</summary>
    bool QuantizeOutput { get; }

    /// <summary>Convolution geometry (only read for the im2col inputs): input channels, height, width, kernel, stride, padding.</summary>
    int ConvChannels { get; }
    int ConvHeight { get; }
    int ConvWidth { get; }
    int ConvKernel { get; }
    int ConvStride { get; }
    int ConvPadding { get; }
}
