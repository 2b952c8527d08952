using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// The mask decoder's two-way transformer (<c>sam_mask_decoder.transformer</c>): <c>layers.{i}</c>, a final
/// token→image attention and <c>norm_final_attn</c>. The initial tokens serve as query PE in every layer.
/// </summary>
public sealed class TwoWayTransformer : nn.Module
{
    [ComponentName(Name = "layers")] private readonly ModuleList<TwoWayAttentionBlock> _layers;
    [ComponentName(Name = "final_attn_token_to_image")] private readonly Attention _finalAttnTokenToImage;
    [ComponentName(Name = "norm_final_attn")] private readonly LayerNorm _normFinalAttn;

    public TwoWayTransformer(int embeddingDim, MaskDecoderSpec spec) : base(nameof(TwoWayTransformer))
    {
        _layers = new ModuleList<TwoWayAttentionBlock>();
        for (var i = 0; i < spec.TransformerDepth; i++)
        {
            _layers.Add(new TwoWayAttentionBlock(embeddingDim, spec.TransformerNumHeads, spec.TransformerMlpDim,
                spec.AttentionDownsampleRate, skipFirstLayerPe: i == 0, spec.TransformerLayerNormEps));
        }
        _finalAttnTokenToImage = new Attention(embeddingDim, spec.TransformerNumHeads, spec.AttentionDownsampleRate);
        _normFinalAttn = nn.LayerNorm(embeddingDim, spec.TransformerLayerNormEps);
        RegisterComponents();
    }

    public int Depth => _layers.Count;

    public TwoWayAttentionBlock Layer(int index) => _layers[index];

    /// <param name="imageEmbedding"><c>[B,C,h,w]</c></param>
    /// <param name="imagePe"><c>[B,C,h,w]</c></param>
    /// <param name="pointEmbedding">tokens <c>[B,T,C]</c></param>
    /// <returns>queries (hs) <c>[B,T,C]</c> and keys (src) <c>[B,hw,C]</c>.</returns>
    public (Tensor Hs, Tensor Src) Forward(Tensor imageEmbedding, Tensor imagePe, Tensor pointEmbedding, ActivationCapture? capture = null)
    {
        using var scope = NewDisposeScope();
        var keys = imageEmbedding.flatten(2).permute(0, 2, 1);
        var keyPe = imagePe.flatten(2).permute(0, 2, 1);
        var queries = pointEmbedding;
        for (var i = 0; i < _layers.Count; i++)
        {
            (queries, keys) = _layers[i].Forward(queries, keys, pointEmbedding, keyPe);
            capture?.Record($"decoder.transformer.layers.{i}.queries", queries);
            capture?.Record($"decoder.transformer.layers.{i}.keys", keys);
        }
        var q = queries + pointEmbedding;
        var k = keys + keyPe;
        queries = _normFinalAttn.call(queries + _finalAttnTokenToImage.Forward(q, k, keys));
        return (queries.MoveToOuterDisposeScope(), keys.MoveToOuterDisposeScope());
    }
}
