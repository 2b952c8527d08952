using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// SAM2 mask decoder (<c>sam_mask_decoder</c>). Tokens are [obj_score, iou, mask×4, sparse prompts]; the two-way
/// transformer output is upscaled ×4 with the high-res skip features (conv_s0/conv_s1 outputs), and each mask token's
/// hypernetwork MLP produces the weights of one mask. conv_s0/conv_s1 live here (as in the reference) but are applied
/// by <see cref="Sam2Model.ForwardImage"/> once per image.
/// </summary>
public sealed class MaskDecoder : nn.Module
{
    [ComponentName(Name = "transformer")] private readonly TwoWayTransformer _transformer;
    [ComponentName(Name = "iou_token")] private readonly Embedding _iouToken;
    [ComponentName(Name = "mask_tokens")] private readonly Embedding _maskTokens;
    [ComponentName(Name = "obj_score_token")] private readonly Embedding? _objScoreToken;
    // Indices 2 and 4 are parameter-free GELUs; a ModuleList (not Sequential) because the high-res path applies the
    // pieces one by one.
    [ComponentName(Name = "output_upscaling")] private readonly ModuleList<nn.Module<Tensor, Tensor>> _outputUpscaling;
    [ComponentName(Name = "conv_s0")] private readonly Conv2d? _convS0;
    [ComponentName(Name = "conv_s1")] private readonly Conv2d? _convS1;
    [ComponentName(Name = "output_hypernetworks_mlps")] private readonly ModuleList<Mlp> _outputHypernetworksMlps;
    [ComponentName(Name = "iou_prediction_head")] private readonly Mlp _iouPredictionHead;
    [ComponentName(Name = "pred_obj_score_head")] private readonly nn.Module<Tensor, Tensor>? _predObjScoreHead;

    private readonly MaskDecoderSpec _spec;

    public MaskDecoder(int transformerDim, MaskDecoderSpec spec) : base(nameof(MaskDecoder))
    {
        if (transformerDim % 8 != 0) throw new ArgumentException($"mask decoder width {transformerDim} must be a multiple of 8", nameof(transformerDim));
        _spec = spec;
        TransformerDim = transformerDim;
        NumMaskTokens = spec.NumMultimaskOutputs + 1;
        _transformer = new TwoWayTransformer(transformerDim, spec);
        _iouToken = nn.Embedding(1, transformerDim);
        _maskTokens = nn.Embedding(NumMaskTokens, transformerDim);
        if (spec.PredObjScores) _objScoreToken = nn.Embedding(1, transformerDim);
        _outputUpscaling = new ModuleList<nn.Module<Tensor, Tensor>>(
            nn.ConvTranspose2d(transformerDim, transformerDim / 4, 2, stride: 2),
            new LayerNorm2d(transformerDim / 4, spec.LayerNormEps),
            nn.GELU(),
            nn.ConvTranspose2d(transformerDim / 4, transformerDim / 8, 2, stride: 2),
            nn.GELU());
        if (spec.UseHighResFeatures)
        {
            _convS0 = nn.Conv2d(transformerDim, transformerDim / 8, 1);
            _convS1 = nn.Conv2d(transformerDim, transformerDim / 4, 1);
        }
        _outputHypernetworksMlps = new ModuleList<Mlp>();
        for (var i = 0; i < NumMaskTokens; i++)
            _outputHypernetworksMlps.Add(new Mlp(transformerDim, transformerDim, transformerDim / 8, 3));
        _iouPredictionHead = new Mlp(transformerDim, spec.IouHeadHiddenDim, NumMaskTokens, spec.IouHeadDepth,
            sigmoidOutput: spec.IouPredictionUseSigmoid);
        if (spec.PredObjScores)
        {
            _predObjScoreHead = spec.PredObjScoresMlp
                ? new Mlp(transformerDim, transformerDim, 1, 3)
                : nn.Linear(transformerDim, 1);
        }
        RegisterComponents();
    }

    public int TransformerDim { get; }

    public int NumMaskTokens { get; }

    public TwoWayTransformer Transformer => _transformer;

    /// <summary>1×1 projection of the stride-4 neck level (hidden → hidden/8).</summary>
    public Conv2d ConvS0 => _convS0 ?? throw new InvalidOperationException("mask decoder built without high-res features has no conv_s0");

    /// <summary>1×1 projection of the stride-8 neck level (hidden → hidden/4).</summary>
    public Conv2d ConvS1 => _convS1 ?? throw new InvalidOperationException("mask decoder built without high-res features has no conv_s1");

    /// <param name="imageEmbed"><c>[Bi,C,e,e]</c></param>
    /// <param name="imagePe">dense PE <c>[1,C,e,e]</c></param>
    /// <param name="sparse">sparse prompt tokens <c>[B,N,C]</c></param>
    /// <param name="dense">dense prompt embedding <c>[B,C,e,e]</c></param>
    /// <param name="multimaskOutput">true: masks of tokens 1..3; false: token 0 (with the stability fallback at inference)</param>
    /// <param name="repeatImage">repeat a single image embedding for B prompt sets</param>
    /// <param name="highRes0">conv_s0 features <c>[Bi,C/8,4e,4e]</c></param>
    /// <param name="highRes1">conv_s1 features <c>[Bi,C/4,2e,2e]</c></param>
    public MaskDecoderOutput Forward(Tensor imageEmbed, Tensor imagePe, Tensor sparse, Tensor dense, bool multimaskOutput, bool repeatImage,
        Tensor? highRes0, Tensor? highRes1, ActivationCapture? capture = null)
    {
        if (_spec.UseHighResFeatures && (highRes0 is null || highRes1 is null))
            throw new ArgumentException("this mask decoder uses high-res features: pass conv_s0 and conv_s1 outputs");
        if (imagePe.shape[0] != 1) throw new ArgumentException($"image_pe must have batch 1, got {imagePe.shape[0]}", nameof(imagePe));
        using var scope = NewDisposeScope();

        var (rawMasks, rawIou, maskTokensOut, objectScore) = PredictMasks(imageEmbed, imagePe, sparse, dense, repeatImage, highRes0, highRes1, capture);
        var stability = MaskSelection.StabilityScores(rawMasks[.., 0], _spec.DynamicMultimaskStabilityDelta);
        var batch = rawMasks.shape[0];

        Tensor masks, iou, selected;
        if (multimaskOutput)
        {
            masks = rawMasks[.., 1..];
            iou = rawIou[.., 1..];
            selected = arange(1, NumMaskTokens, dtype: ScalarType.Int64, device: rawMasks.device).unsqueeze(0).expand(batch, -1);
        }
        else if (_spec.DynamicMultimaskViaStability && !training)
        {
            (masks, iou, selected) = MaskSelection.DynamicFallback(rawMasks, rawIou, stability, _spec.DynamicMultimaskStabilityThresh);
        }
        else
        {
            masks = rawMasks[.., 0..1];
            iou = rawIou[.., 0..1];
            selected = zeros(new[] { batch, 1L }, dtype: ScalarType.Int64, device: rawMasks.device);
        }
        // The object-pointer token is the single-mask token unless multimask tokens are configured for it.
        var samTokens = multimaskOutput && _spec.UseMultimaskTokenForObjPtr ? maskTokensOut[.., 1..] : maskTokensOut[.., 0..1];

        return new MaskDecoderOutput(masks, iou, samTokens, objectScore, rawMasks, rawIou, maskTokensOut, stability, selected)
            .MoveToOuterDisposeScope();
    }

    private (Tensor Masks, Tensor Iou, Tensor MaskTokensOut, Tensor ObjectScore) PredictMasks(Tensor imageEmbed, Tensor imagePe, Tensor sparse,
        Tensor dense, bool repeatImage, Tensor? highRes0, Tensor? highRes1, ActivationCapture? capture)
    {
        var s = _objScoreToken is null ? 0 : 1;
        var tokenParts = new List<Tensor>();
        if (_objScoreToken is not null) tokenParts.Add(_objScoreToken.weight!);
        tokenParts.Add(_iouToken.weight!);
        tokenParts.Add(_maskTokens.weight!);
        var outputTokens = cat(tokenParts, 0).unsqueeze(0).expand(sparse.shape[0], -1, -1);
        var tokens = cat(new[] { outputTokens, sparse }, 1);

        Tensor src;
        if (repeatImage)
        {
            src = imageEmbed.repeat_interleave(tokens.shape[0], dim: 0);
        }
        else
        {
            if (imageEmbed.shape[0] != tokens.shape[0])
                throw new ArgumentException($"image batch {imageEmbed.shape[0]} differs from prompt batch {tokens.shape[0]} and repeat_image is false");
            src = imageEmbed;
        }
        src = src + dense;
        var posSrc = imagePe.repeat_interleave(tokens.shape[0], dim: 0);
        long b = src.shape[0], c = src.shape[1], h = src.shape[2], w = src.shape[3];

        var (hs, keys) = _transformer.Forward(src, posSrc, tokens, capture);
        capture?.Record("decoder.transformer.hs", hs);
        capture?.Record("decoder.transformer.src", keys);
        var iouTokenOut = hs[.., s];
        var maskTokensOut = hs[.., (s + 1)..(s + 1 + NumMaskTokens)];

        var grid = keys.transpose(1, 2).reshape(b, c, h, w);
        var up = _outputUpscaling;
        Tensor upscaled;
        if (_spec.UseHighResFeatures)
        {
            upscaled = up[2].call(up[1].call(up[0].call(grid) + highRes1!));
            upscaled = up[4].call(up[3].call(upscaled) + highRes0!);
        }
        else
        {
            upscaled = up[4].call(up[3].call(up[2].call(up[1].call(up[0].call(grid)))));
        }
        capture?.Record("decoder.upscaled_embedding", upscaled);

        var hyper = new Tensor[NumMaskTokens];
        for (var i = 0; i < NumMaskTokens; i++)
            hyper[i] = _outputHypernetworksMlps[i].call(maskTokensOut[.., i, ..]);
        var hyperIn = stack(hyper, 1);
        capture?.Record("decoder.hyper_in", hyperIn);
        long uc = upscaled.shape[1], uh = upscaled.shape[2], uw = upscaled.shape[3];
        var masks = hyperIn.matmul(upscaled.reshape(b, uc, uh * uw)).reshape(b, -1, uh, uw);

        var iouPred = _iouPredictionHead.call(iouTokenOut);
        var objectScore = _predObjScoreHead is not null
            ? _predObjScoreHead.call(hs[.., 0, ..])
            : full(new[] { iouPred.shape[0], 1L }, 10.0f, dtype: iouPred.dtype, device: iouPred.device);
        return (masks, iouPred, maskTokensOut, objectScore);
    }
}
