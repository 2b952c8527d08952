using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// One layer of the expanded model. <see cref="Name"/> is the official module path (the state-dict key prefix,
/// e.g. <c>image_encoder.trunk.blocks.3.attn.qkv</c>; for bare parameters the full key). Shapes are for batch 1
/// at the expansion's image size, in the layout the reference uses at that point (the Hiera trunk is
/// channels-last, windowed layers see <c>[windows, ws, ws, C]</c>, token layers <c>[1, tokens, C]</c>, convs NCHW).
/// <see cref="Macs"/> counts multiply-accumulates of one call (attention: both matmuls). Immutable and equatable.
/// </summary>
public sealed record LayerInfo
{
    public string Name { get; init; } = "";
    public LayerKind Kind { get; init; }
    public ModelComponent Component { get; init; }
    public EquatableArray<int> InputShape { get; init; } = EquatableArray<int>.Empty;
    public EquatableArray<int> OutputShape { get; init; } = EquatableArray<int>.Empty;
    public EquatableArray<ParameterTensor> Parameters { get; init; } = EquatableArray<ParameterTensor>.Empty;
    public long Macs { get; init; }

    /// <summary>Linear: in features; Conv/ConvT: in channels; norms: normalized channels; attention: query/key channels per head × heads.</summary>
    public int InFeatures { get; init; }

    /// <summary>Linear: out features; Conv/ConvT: out channels; norms: channels; attention: value channels (heads × head dim).</summary>
    public int OutFeatures { get; init; }

    /// <summary>Square kernel side (convs).</summary>
    public int KernelSize { get; init; }

    public int Stride { get; init; }
    public int Padding { get; init; }
    public int Groups { get; init; } = 1;

    /// <summary>Norm epsilon.</summary>
    public double Eps { get; init; }

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; }

    /// <summary>Attention: keys per query group (window); queries per group are <c>InputShape[2]</c>.</summary>
    public int KeyTokens { get; init; }

    /// <summary>Function applied right after this layer's output by the reference.</summary>
    public LayerActivation ActivationAfter { get; init; }

    public long ParameterCount => Parameters.Sum(p => p.ElementCount);
}
