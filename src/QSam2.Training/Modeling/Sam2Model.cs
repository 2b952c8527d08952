using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// The whole SAM2 model (SAM2Base) built from an <see cref="ArchSpec"/>. Submodules and parameters are registered
/// under the official names, so <c>state_dict()</c> keys and shapes equal the official checkpoint's for every size
/// (SAM 2.0 lacks <c>no_obj_embed_spatial</c> and <c>obj_ptr_tpos_proj</c>).
/// </summary>
public sealed partial class Sam2Model : nn.Module
{
    [ComponentName(Name = "maskmem_tpos_enc")] private readonly Parameter _maskmemTposEnc;
    [ComponentName(Name = "no_mem_embed")] private readonly Parameter _noMemEmbed;
    [ComponentName(Name = "no_mem_pos_enc")] private readonly Parameter _noMemPosEnc;
    [ComponentName(Name = "no_obj_ptr")] private readonly Parameter _noObjPtr;
    [ComponentName(Name = "no_obj_embed_spatial")] private readonly Parameter? _noObjEmbedSpatial;
    [ComponentName(Name = "image_encoder")] private readonly ImageEncoder _imageEncoder;
    [ComponentName(Name = "mask_downsample")] private readonly Conv2d _maskDownsample;
    [ComponentName(Name = "memory_attention")] private readonly MemoryAttention _memoryAttention;
    [ComponentName(Name = "memory_encoder")] private readonly MemoryEncoder _memoryEncoder;
    [ComponentName(Name = "sam_prompt_encoder")] private readonly PromptEncoder _samPromptEncoder;
    [ComponentName(Name = "sam_mask_decoder")] private readonly MaskDecoder _samMaskDecoder;
    [ComponentName(Name = "obj_ptr_proj")] private readonly Mlp _objPtrProj;
    [ComponentName(Name = "obj_ptr_tpos_proj")] private readonly Linear? _objPtrTposProj;

    public Sam2Model(ArchSpec spec) : base(nameof(Sam2Model))
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.SamVersion is not ("2.0" or "2.1"))
            throw new ArgumentException($"sam_version must be \"2.0\" or \"2.1\", got \"{spec.SamVersion}\"", nameof(spec));
        if (!spec.MaskDecoder.UseHighResFeatures)
            throw new NotSupportedException("mask_decoder.use_high_res_features = false is not supported (every SAM2 config uses the high-res skips)");
        if (spec.ImageSize % spec.BackboneStride != 0)
            throw new ArgumentException($"image_size {spec.ImageSize} is not a multiple of backbone_stride {spec.BackboneStride}", nameof(spec));
        Spec = spec;
        var hidden = spec.HiddenDim;
        var memDim = spec.MemDim;

        // Official init: truncated normal (std 0.02) for the free embeddings; checkpoints overwrite them.
        _maskmemTposEnc = TruncNormal(spec.NumMaskmem, 1, 1, memDim);
        _noMemEmbed = TruncNormal(1, 1, hidden);
        _noMemPosEnc = TruncNormal(1, 1, hidden);
        _noObjPtr = TruncNormal(1, hidden);
        if (spec.IsSam21) _noObjEmbedSpatial = TruncNormal(1, memDim);
        _imageEncoder = new ImageEncoder(spec);
        _maskDownsample = nn.Conv2d(1, 1, 4, stride: 4);
        _memoryAttention = new MemoryAttention(spec.MemoryAttention);
        _memoryEncoder = new MemoryEncoder(spec.MemoryEncoder);
        _samPromptEncoder = new PromptEncoder(spec);
        _samMaskDecoder = new MaskDecoder(hidden, spec.MaskDecoder);
        _objPtrProj = new Mlp(hidden, hidden, hidden, 3);
        if (spec.IsSam21) _objPtrTposProj = nn.Linear(hidden, memDim);
        RegisterComponents();
    }

    public ArchSpec Spec { get; }

    public ImageEncoder ImageEncoder => _imageEncoder;

    public PromptEncoder PromptEncoder => _samPromptEncoder;

    public MaskDecoder MaskDecoder => _samMaskDecoder;

    public MemoryAttention MemoryAttention => _memoryAttention;

    public MemoryEncoder MemoryEncoder => _memoryEncoder;

    /// <summary>Object-pointer projection (MLP hidden→hidden→hidden→hidden).</summary>
    public Mlp ObjPtrProj => _objPtrProj;

    /// <summary>Temporal-position projection of object pointers (SAM 2.1 only).</summary>
    public Linear? ObjPtrTposProj => _objPtrTposProj;

    /// <summary>Conv 1→1, k4 s4: downsamples a 1024² mask prompt to 256² on the mask-as-output path.</summary>
    public Conv2d MaskDownsample => _maskDownsample;

    public Parameter NoMemEmbed => _noMemEmbed;

    public Parameter NoMemPosEnc => _noMemPosEnc;

    public Parameter MaskmemTposEnc => _maskmemTposEnc;

    public Parameter NoObjPtr => _noObjPtr;

    public Parameter? NoObjEmbedSpatial => _noObjEmbedSpatial;

    /// <summary>
    /// Image path: trunk → neck → scalp, conv_s0/conv_s1 on the two finest kept levels, and
    /// image_embed = stride-16 level + no_mem_embed.
    /// </summary>
    /// <param name="preprocessed">normalized image <c>[B,3,S,S]</c>, S = image_size</param>
    public ImageFeatures ForwardImage(Tensor preprocessed, ActivationCapture? capture = null)
    {
        if (preprocessed.dim() != 4 || preprocessed.shape[1] != 3 || preprocessed.shape[2] != Spec.ImageSize || preprocessed.shape[3] != Spec.ImageSize)
            throw new ArgumentException(
                $"image must be [B,3,{Spec.ImageSize},{Spec.ImageSize}] (normalized), got [{string.Join(",", preprocessed.shape)}]", nameof(preprocessed));
        using var scope = NewDisposeScope();
        var stages = _imageEncoder.Trunk.Forward(preprocessed, capture);
        var (features, pos) = _imageEncoder.Neck.Forward(stages);
        var kept = features.Length - Spec.Neck.Scalp;
        if (kept < 3) throw new InvalidOperationException($"the neck keeps {kept} levels after scalp {Spec.Neck.Scalp}; SAM2 needs 3 (two high-res + embedding)");
        var vision = features[kept - 1];
        var visionPos = pos[kept - 1];
        var highRes0 = _samMaskDecoder.ConvS0.call(features[0]);
        var highRes1 = _samMaskDecoder.ConvS1.call(features[1]);
        var imageEmbed = vision + _noMemEmbed.view(1, -1, 1, 1);

        var result = new ImageFeatures(imageEmbed, highRes0, highRes1, vision, visionPos, stages, features, pos);
        foreach (var t in new[] { imageEmbed, highRes0, highRes1 }.Concat(stages).Concat(features).Concat(pos))
            t.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>
    /// Prompt encoder + mask decoder on encoded image features (SAM2ImagePredictor._predict before upsampling).
    /// One image with B &gt; 1 prompt sets repeats the image embedding; otherwise batches must match.
    /// </summary>
    /// <param name="coords"><c>[B,N,2]</c> model-input pixels (boxes as label-2/3 corner points first), or null</param>
    /// <param name="labels"><c>[B,N]</c>, or null</param>
    /// <param name="maskInput"><c>[B,1,4e,4e]</c> low-res logits, or null</param>
    public MaskDecoderOutput PredictMasks(ImageFeatures features, Tensor? coords, Tensor? labels, Tensor? maskInput, bool multimaskOutput,
        ActivationCapture? capture = null)
    {
        using var scope = NewDisposeScope();
        var (sparse, dense) = _samPromptEncoder.Forward(coords, labels, maskInput);
        capture?.Record("prompt_encoder.sparse", sparse);
        capture?.Record("prompt_encoder.dense", dense);
        var imageBatch = features.ImageEmbed.shape[0];
        var promptBatch = sparse.shape[0];
        var repeat = imageBatch == 1 && promptBatch > 1;
        if (!repeat && imageBatch != promptBatch)
            throw new ArgumentException($"{promptBatch} prompt sets for {imageBatch} images: give one image or one prompt set per image");
        var pe = _samPromptEncoder.GetDensePe();
        var output = _samMaskDecoder.Forward(features.ImageEmbed, pe, sparse, dense, multimaskOutput, repeat, features.HighRes0, features.HighRes1, capture);
        output.MoveToOuterDisposeScope();
        return output;
    }

    /// <summary>
    /// The object pointer of a decoder result (SAM2Base._forward_sam_heads): the output token of the best-IoU mask
    /// when several were returned, projected by <c>obj_ptr_proj</c>; replaced by <c>no_obj_ptr</c> where the object
    /// score logit is ≤ 0 (hard gate, fixed_no_obj_ptr). <c>[B,C]</c>.
    /// </summary>
    public Tensor ObjectPointer(MaskDecoderOutput output)
    {
        using var scope = NewDisposeScope();
        var tokens = output.SamTokensOut;
        Tensor token;
        if (tokens.shape[1] > 1)
        {
            var best = output.IouPred.argmax(-1);
            token = tokens.gather(1, best.view(-1, 1, 1).expand(-1, 1, tokens.shape[2])).squeeze(1);
        }
        else
        {
            token = tokens[.., 0];
        }
        var ptr = _objPtrProj.call(token);
        var present = output.ObjectScoreLogits.gt(0).to_type(ptr.dtype);
        ptr = present * ptr + (1 - present) * _noObjPtr;
        return ptr.MoveToOuterDisposeScope();
    }

    private static Parameter TruncNormal(params long[] shape)
    {
        using var noGrad = no_grad();
        var t = empty(shape, dtype: ScalarType.Float32);
        nn.init.trunc_normal_(t, std: 0.02);
        return new Parameter(t);
    }
}
