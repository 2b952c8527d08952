using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Memory encoder (<c>memory_encoder</c>): downsampled mask (sigmoid of the logits unless told otherwise) plus
/// projected pixel features, fused by CXBlocks and projected to the memory width, with a sine PE of that width.
/// <c>out_proj</c> exists only when out_dim ≠ in_dim, as in the reference.
/// </summary>
public sealed class MemoryEncoder : nn.Module
{
    [ComponentName(Name = "mask_downsampler")] private readonly MaskDownSampler _maskDownsampler;
    [ComponentName(Name = "pix_feat_proj")] private readonly Conv2d _pixFeatProj;
    [ComponentName(Name = "fuser")] private readonly Fuser _fuser;
    [ComponentName(Name = "out_proj")] private readonly Conv2d? _outProj;

    public MemoryEncoder(MemoryEncoderSpec spec) : base(nameof(MemoryEncoder))
    {
        if (spec.MaskDownsamplerEmbedDim != spec.InDim)
            throw new ArgumentException(
                $"memory_encoder.mask_downsampler_embed_dim ({spec.MaskDownsamplerEmbedDim}) must equal memory_encoder.in_dim ({spec.InDim}): the two are added", nameof(spec));
        _maskDownsampler = new MaskDownSampler(spec);
        _pixFeatProj = nn.Conv2d(spec.InDim, spec.InDim, 1);
        _fuser = new Fuser(spec);
        if (spec.OutDim != spec.InDim) _outProj = nn.Conv2d(spec.InDim, spec.OutDim, 1);
        PositionEncoding = new PositionEmbeddingSine(spec.OutDim);
        RegisterComponents();
    }

    public PositionEmbeddingSine PositionEncoding { get; }

    /// <param name="pixFeat">raw stride-16 neck features <c>[B,Cin,e,e]</c> (no no_mem_embed)</param>
    /// <param name="masks">mask logits at model-input resolution <c>[B,1,S,S]</c> (already scaled/binarized by the caller if <paramref name="skipMaskSigmoid"/>)</param>
    /// <returns>memory features <c>[B,Cm,e,e]</c> and their position encoding <c>[B,Cm,e,e]</c>.</returns>
    public (Tensor Features, Tensor Pos) Forward(Tensor pixFeat, Tensor masks, bool skipMaskSigmoid = false)
    {
        using var scope = NewDisposeScope();
        var m = skipMaskSigmoid ? masks : masks.sigmoid();
        m = _maskDownsampler.call(m);
        var x = _pixFeatProj.call(pixFeat.to(m.device)) + m;
        x = _fuser.call(x);
        if (_outProj is not null) x = _outProj.call(x);
        var pos = PositionEncoding.Forward(x).to_type(x.dtype);
        return (x.MoveToOuterDisposeScope(), pos.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) PositionEncoding.Dispose();
        base.Dispose(disposing);
    }
}
