using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// One memory-attention layer (pre-norm): RoPE self-attention on the current frame's tokens, RoPE cross-attention to
/// the memory (position encoding added to the memory keys only, not to queries), then a ReLU feed-forward.
/// Dropout applies in training only.
/// </summary>
public sealed class MemoryAttentionLayer : nn.Module
{
    [ComponentName(Name = "self_attn")] private readonly RoPEAttention _selfAttn;
    [ComponentName(Name = "cross_attn_image")] private readonly RoPEAttention _crossAttnImage;
    [ComponentName(Name = "linear1")] private readonly Linear _linear1;
    [ComponentName(Name = "linear2")] private readonly Linear _linear2;
    [ComponentName(Name = "norm1")] private readonly LayerNorm _norm1;
    [ComponentName(Name = "norm2")] private readonly LayerNorm _norm2;
    [ComponentName(Name = "norm3")] private readonly LayerNorm _norm3;
    private readonly double _dropout;

    public MemoryAttentionLayer(MemoryAttentionSpec spec) : base(nameof(MemoryAttentionLayer))
    {
        var d = spec.DModel;
        _selfAttn = new RoPEAttention(d, spec.NumHeads, 1, spec.Dropout, null, spec.RopeTheta, ropeKRepeat: false);
        _crossAttnImage = new RoPEAttention(d, spec.NumHeads, 1, spec.Dropout, spec.KvInDim, spec.RopeTheta, ropeKRepeat: true);
        _linear1 = nn.Linear(d, spec.DimFeedforward);
        _linear2 = nn.Linear(spec.DimFeedforward, d);
        _norm1 = nn.LayerNorm(d, spec.LayerNormEps);
        _norm2 = nn.LayerNorm(d, spec.LayerNormEps);
        _norm3 = nn.LayerNorm(d, spec.LayerNormEps);
        _dropout = spec.Dropout;
        RegisterComponents();
    }

    /// <param name="tgt">current tokens <c>[B,N,C]</c></param>
    /// <param name="memory">memory tokens <c>[B,M,Cm]</c></param>
    /// <param name="memoryPos">memory position encoding <c>[B,M,Cm]</c></param>
    /// <param name="numKExcludeRope">trailing object-pointer tokens that are not rotated</param>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor memoryPos, int numKExcludeRope)
    {
        using var scope = NewDisposeScope();
        var a = _norm1.call(tgt);
        tgt = tgt + Dropout(_selfAttn.Forward(a, a, a, 0));

        a = _norm2.call(tgt);
        tgt = tgt + Dropout(_crossAttnImage.Forward(a, memory + memoryPos, memory, numKExcludeRope));

        a = _norm3.call(tgt);
        a = _linear2.call(Dropout(nn.functional.relu(_linear1.call(a))));
        tgt = tgt + Dropout(a);
        return tgt.MoveToOuterDisposeScope();
    }

    private Tensor Dropout(Tensor x) => training && _dropout > 0 ? nn.functional.dropout(x, _dropout, true) : x;
}
