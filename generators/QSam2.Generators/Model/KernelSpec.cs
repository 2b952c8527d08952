namespace QSam2.Generators.Model;

/// <summary>How a weight layer is computed (all are a GEMM over a [rows, K] × [K, N] view of the layer).</summary>
public enum KernelOp
{
    /// <summary>Linear, or 1×1 conv on channels-last tokens.</summary>
    Gemm,
    /// <summary>k×k conv: gather patches (im2col) then GEMM.</summary>
    Im2ColGemm,
    /// <summary>ConvTranspose2d k2 s2: GEMM to 4·Cout columns, then scatter to the 2× map.</summary>
    ConvTranspose2x2,
}

/// <summary>What the GEMM epilogue does after bias / dequantization, in order: activation, residual add, store or quantize.</summary>
public enum EpilogueActivation
{
    None,
    Gelu,
}

/// <summary>
/// A fully decided kernel for one weight layer: op, GEMM sizes, weight/activation bits and granularity, the row tile
/// (rows per work item, chosen so an A block and its output stay cache-resident) and the fused epilogue. The emitter
/// prints it; it decides nothing. Immutable and structurally equatable.
/// </summary>
public sealed record KernelSpec
{
    public string Layer { get; init; } = "";
    public KernelOp Op { get; init; }

    /// <summary>Kernel family name, e.g. <c>Gemm_W4A8_PerChannel</c> or <c>Gemm_F32</c> (comments, reports).</summary>
    public string KernelName { get; init; } = "";

    public int Rows { get; init; }
    public int K { get; init; }
    public int N { get; init; }

    public bool Quantized { get; init; }
    public int WeightBits { get; init; } = 32;
    public int ActivationBits { get; init; } = 32;
    public QSam2.Spec.Quant.QuantGranularity Granularity { get; init; }
    public int GroupSize { get; init; }

    public int RowTile { get; init; }

    /// <summary>Row tiles run in parallel on up to this many threads (each with its own scratch slot).</summary>
    public int Workers { get; init; } = 1;

    public EpilogueActivation Activation { get; init; }
    public bool Residual { get; init; }

    /// <summary>When set, the epilogue writes activation codes for this (quantized) consumer layer instead of floats.</summary>
    public string? QuantizeForLayer { get; init; }

    public long Macs { get; init; }

    /// <summary>E.g. <c>W4A8 per_channel</c> or <c>F32</c>.</summary>
    public string Precision { get; init; } = "F32";
}
