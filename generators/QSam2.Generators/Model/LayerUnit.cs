namespace QSam2.Generators.Model;

/// <summary>
/// One weight layer as the per-layer emitter sees it: the class it belongs to, its kernel, the weight tensor to load
/// and how to view it as a GEMM, and the arena offsets of its operands. Everything the layer's generated file
/// depends on and nothing else, so a change to another layer leaves this unit equal (and its step Unchanged).
/// </summary>
public sealed record LayerUnit
{
    public string Namespace { get; init; } = "";
    public string ClassName { get; init; } = "";
    public string Accessibility { get; init; } = "internal";

    /// <summary>Position in the image/prompt program order (stable member names, file order).</summary>
    public int Index { get; init; }

    /// <summary>C# identifier stem, e.g. <c>L023_Blocks0AttnQkv</c>.</summary>
    public string Member { get; init; } = "";

    public KernelSpec Kernel { get; init; } = new();

    /// <summary>Row count as C#: a number, or <c>tokens</c> for decoder token-side layers (varies with the prompt).</summary>
    public string RowsExpression { get; init; } = "0";

    /// <summary>Official weight shape (PyTorch layout).</summary>
    public EquatableArray<int> WeightShape { get; init; } = EquatableArray<int>.Empty;

    public bool HasBias { get; init; } = true;

    /// <summary>Im2col conv geometry (Im2ColGemm); ConvTranspose2x2 uses InHeight/InWidth.</summary>
    public int InChannels { get; init; }
    public int InHeight { get; init; }
    public int InWidth { get; init; }
    public int KernelSize { get; init; }
    public int Stride { get; init; }
    public int Padding { get; init; }

    /// <summary>Im2col input is NCHW (the preprocessed image) rather than channels-last tokens.</summary>
    public bool InputNchw { get; init; }

    /// <summary>Arena byte offsets; -1 when unused.</summary>
    public long Input { get; init; } = -1;
    public long Output { get; init; } = -1;
    public long ResidualOffset { get; init; } = -1;
    public long Scratch { get; init; } = -1;

    /// <summary>Bytes of scratch the kernel was given.</summary>
    public long ScratchBytes { get; init; }

    /// <summary>Member stem of the consumer whose input quantization the epilogue applies (see <see cref="KernelSpec.QuantizeForLayer"/>).</summary>
    public string? QuantizeForMember { get; init; }

    /// <summary>True when the producer already wrote this layer's input as activation codes.</summary>
    public bool InputIsCodes { get; init; }

    public string HintName => (Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName) + "." + Member + ".g.cs";
}
