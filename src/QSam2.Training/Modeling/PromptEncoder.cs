using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// SAM2 prompt encoder (<c>sam_prompt_encoder</c>). Points (boxes arrive as label-2/3 corner points) become sparse
/// tokens; a low-res mask logit map becomes the dense embedding, or <c>no_mask_embed</c> is broadcast when absent.
/// Labels: −1 padding, 0 negative, 1 positive, 2 box top-left, 3 box bottom-right.
/// </summary>
public sealed class PromptEncoder : nn.Module
{
    [ComponentName(Name = "pe_layer")] private readonly PositionEmbeddingRandom _peLayer;
    [ComponentName(Name = "point_embeddings")] private readonly ModuleList<Embedding> _pointEmbeddings;
    [ComponentName(Name = "not_a_point_embed")] private readonly Embedding _notAPointEmbed;
    [ComponentName(Name = "mask_downscaling")] private readonly Sequential _maskDownscaling;
    [ComponentName(Name = "no_mask_embed")] private readonly Embedding _noMaskEmbed;

    public PromptEncoder(ArchSpec spec) : base(nameof(PromptEncoder))
    {
        EmbedDim = spec.HiddenDim;
        InputImageSize = spec.ImageSize;
        EmbeddingSize = spec.EmbeddingSize;
        var maskInChans = spec.PromptEncoder.MaskInChans;
        if (maskInChans % 4 != 0) throw new ArgumentException($"prompt_encoder.mask_in_chans = {maskInChans} must be a multiple of 4", nameof(spec));
        var eps = spec.PromptEncoder.LayerNormEps;

        _peLayer = new PositionEmbeddingRandom(EmbedDim / 2);
        _pointEmbeddings = new ModuleList<Embedding>();
        for (var i = 0; i < 4; i++) _pointEmbeddings.Add(nn.Embedding(1, EmbedDim));
        _notAPointEmbed = nn.Embedding(1, EmbedDim);
        // Indices 2 and 5 are parameter-free GELUs, so the state-dict keys are 0,1,3,4,6 as in the reference.
        _maskDownscaling = nn.Sequential(
            nn.Conv2d(1, maskInChans / 4, 2, stride: 2),
            new LayerNorm2d(maskInChans / 4, eps),
            nn.GELU(),
            nn.Conv2d(maskInChans / 4, maskInChans, 2, stride: 2),
            new LayerNorm2d(maskInChans, eps),
            nn.GELU(),
            nn.Conv2d(maskInChans, EmbedDim, 1));
        _noMaskEmbed = nn.Embedding(1, EmbedDim);
        RegisterComponents();
    }

    public int EmbedDim { get; }

    /// <summary>Model input side; point coordinates are in this pixel frame.</summary>
    public int InputImageSize { get; }

    /// <summary>Side of the image embedding grid (mask inputs are 4× this).</summary>
    public int EmbeddingSize { get; }

    public int MaskInputSize => 4 * EmbeddingSize;

    public PositionEmbeddingRandom PeLayer => _peLayer;

    /// <summary>The dense positional encoding of the embedding grid, <c>[1,C,e,e]</c> (the decoder's image_pe).</summary>
    public Tensor GetDensePe()
    {
        using var scope = NewDisposeScope();
        return _peLayer.Grid(EmbeddingSize, EmbeddingSize).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <param name="coords"><c>[B,N,2]</c> (x, y) in model-input pixels, before the +0.5 centre shift.</param>
    /// <param name="labels"><c>[B,N]</c> integer labels.</param>
    /// <param name="maskInput"><c>[B,1,4e,4e]</c> low-res mask logits.</param>
    /// <returns>sparse <c>[B,N+1,C]</c> (a padding point is appended) or <c>[B,0,C]</c> without points; dense <c>[B,C,e,e]</c>.</returns>
    public (Tensor Sparse, Tensor Dense) Forward(Tensor? coords, Tensor? labels, Tensor? maskInput)
    {
        if ((coords is null) != (labels is null))
            throw new ArgumentException("point coordinates and labels must be given together");
        long batch = coords?.shape[0] ?? maskInput?.shape[0] ?? 1;
        using var scope = NewDisposeScope();
        Tensor sparse;
        if (coords is not null && labels is not null)
        {
            if (coords.dim() != 3 || coords.shape[2] != 2)
                throw new ArgumentException($"point coordinates must be [B,N,2], got [{string.Join(",", coords.shape)}]", nameof(coords));
            if (labels.dim() != 2 || labels.shape[0] != coords.shape[0] || labels.shape[1] != coords.shape[1])
                throw new ArgumentException($"point labels must be [B,N] = [{coords.shape[0]},{coords.shape[1]}], got [{string.Join(",", labels.shape)}]", nameof(labels));
            sparse = EmbedPoints(coords, labels);
        }
        else
        {
            sparse = empty(new[] { batch, 0L, EmbedDim }, dtype: ScalarType.Float32, device: _noMaskEmbed.weight!.device);
        }

        Tensor dense;
        if (maskInput is not null)
        {
            if (maskInput.dim() != 4 || maskInput.shape[1] != 1 || maskInput.shape[2] != MaskInputSize || maskInput.shape[3] != MaskInputSize)
                throw new ArgumentException(
                    $"mask input must be [B,1,{MaskInputSize},{MaskInputSize}], got [{string.Join(",", maskInput.shape)}]", nameof(maskInput));
            dense = _maskDownscaling.call(maskInput);
        }
        else
        {
            dense = _noMaskEmbed.weight!.reshape(1, -1, 1, 1).expand(batch, -1, EmbeddingSize, EmbeddingSize);
        }
        return (sparse.MoveToOuterDisposeScope(), dense.MoveToOuterDisposeScope());
    }

    private Tensor EmbedPoints(Tensor coords, Tensor labels)
    {
        var points = coords.to_type(ScalarType.Float32) + 0.5;
        // SAM2's predictors never pass boxes separately, so a (0,0) label −1 padding point is always appended.
        var padPoint = zeros(new[] { points.shape[0], 1L, 2L }, dtype: ScalarType.Float32, device: points.device);
        var padLabel = full(new[] { labels.shape[0], 1L }, -1, dtype: labels.dtype, device: labels.device);
        points = cat(new[] { points, padPoint }, 1);
        var lab = cat(new[] { labels, padLabel }, 1).unsqueeze(-1);

        var e = _peLayer.EncodeCoords(points, InputImageSize, InputImageSize);
        e = where(lab.eq(-1), zeros_like(e) + _notAPointEmbed.weight!, e);
        for (var k = 0; k < 4; k++)
            e = where(lab.eq(k), e + _pointEmbeddings[k].weight!, e);
        return e;
    }
}
