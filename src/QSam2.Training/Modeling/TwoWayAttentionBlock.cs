using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// One two-way transformer layer: token self-attention, token→image cross-attention, token MLP, image→token
/// cross-attention, each followed by a LayerNorm. The first layer's self-attention takes no PE and replaces the
/// tokens (no residual), as in the reference.
/// </summary>
public sealed class TwoWayAttentionBlock : nn.Module
{
    [ComponentName(Name = "self_attn")] private readonly Attention _selfAttn;
    [ComponentName(Name = "norm1")] private readonly LayerNorm _norm1;
    [ComponentName(Name = "cross_attn_token_to_image")] private readonly Attention _crossAttnTokenToImage;
    [ComponentName(Name = "norm2")] private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")] private readonly Mlp _mlp;
    [ComponentName(Name = "norm3")] private readonly LayerNorm _norm3;
    [ComponentName(Name = "norm4")] private readonly LayerNorm _norm4;
    [ComponentName(Name = "cross_attn_image_to_token")] private readonly Attention _crossAttnImageToToken;

    public TwoWayAttentionBlock(int embeddingDim, int numHeads, int mlpDim, int attentionDownsampleRate, bool skipFirstLayerPe, double layerNormEps)
        : base(nameof(TwoWayAttentionBlock))
    {
        _selfAttn = new Attention(embeddingDim, numHeads);
        _norm1 = nn.LayerNorm(embeddingDim, layerNormEps);
        _crossAttnTokenToImage = new Attention(embeddingDim, numHeads, attentionDownsampleRate);
        _norm2 = nn.LayerNorm(embeddingDim, layerNormEps);
        _mlp = new Mlp(embeddingDim, mlpDim, embeddingDim, 2, MlpActivation.Relu);
        _norm3 = nn.LayerNorm(embeddingDim, layerNormEps);
        _norm4 = nn.LayerNorm(embeddingDim, layerNormEps);
        _crossAttnImageToToken = new Attention(embeddingDim, numHeads, attentionDownsampleRate);
        SkipFirstLayerPe = skipFirstLayerPe;
        RegisterComponents();
    }

    public bool SkipFirstLayerPe { get; }

    /// <param name="queries">tokens <c>[B,T,C]</c></param>
    /// <param name="keys">image tokens <c>[B,HW,C]</c></param>
    /// <param name="queryPe">the initial tokens <c>[B,T,C]</c></param>
    /// <param name="keyPe">dense PE <c>[B,HW,C]</c></param>
    public (Tensor Queries, Tensor Keys) Forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe)
    {
        using var scope = NewDisposeScope();
        if (SkipFirstLayerPe)
        {
            queries = _selfAttn.Forward(queries, queries, queries);
        }
        else
        {
            var q0 = queries + queryPe;
            queries = queries + _selfAttn.Forward(q0, q0, queries);
        }
        queries = _norm1.call(queries);

        var q = queries + queryPe;
        var k = keys + keyPe;
        queries = _norm2.call(queries + _crossAttnTokenToImage.Forward(q, k, keys));

        queries = _norm3.call(queries + _mlp.call(queries));

        q = queries + queryPe;
        k = keys + keyPe;
        keys = _norm4.call(keys + _crossAttnImageToToken.Forward(k, q, queries));
        return (queries.MoveToOuterDisposeScope(), keys.MoveToOuterDisposeScope());
    }
}
