using QSam2.Spec.Model;
using QSam2.Spec.Schema;

namespace QSam2.Spec.Arch;

/// <summary>
/// The JSON schema of <c>*.arch.json</c>: every <see cref="ArchSpec"/> property with its snake_case name and
/// meaning. Reader, writer and the documentation test all use this table. Defaults live in the records.
/// </summary>
public static class ArchSchema
{
    public static SchemaSection<TrunkSpec> Trunk { get; } = new(new SchemaField<TrunkSpec>[]
    {
        new IntField<TrunkSpec>("embed_dim", "Channels of stage 1 (patch embedding width); doubled (×dim_mul) at every stage transition.", s => s.EmbedDim, (s, v) => s with { EmbedDim = v }),
        new IntField<TrunkSpec>("num_heads", "Attention heads in stage 1; multiplied by head_mul at every stage transition.", s => s.NumHeads, (s, v) => s with { NumHeads = v }),
        new IntArrayField<TrunkSpec>("stages", "Blocks per stage (4 stages in every SAM2 config).", s => s.Stages, (s, v) => s with { Stages = v }),
        new IntArrayField<TrunkSpec>("global_att_blocks", "Block indices (0-based, over all stages) that use global attention instead of windows.", s => s.GlobalAttBlocks, (s, v) => s with { GlobalAttBlocks = v }),
        new IntArrayField<TrunkSpec>("window_spec", "Window size per stage. The first block of a stage still uses the previous stage's window. window_spec[0] is also the side of pos_embed_window.", s => s.WindowSpec, (s, v) => s with { WindowSpec = v }),
        new IntArrayField<TrunkSpec>("window_pos_embed_bkg_spatial_size", "[h, w] of the background position embedding pos_embed (bicubic-resized to the stage-1 map).", s => s.WindowPosEmbedBkgSpatialSize, (s, v) => s with { WindowPosEmbedBkgSpatialSize = v }),
        new IntField<TrunkSpec>("q_pool", "Number of stage transitions (from the first) whose first block max-pools the queries (halves the map).", s => s.QPool, (s, v) => s with { QPool = v }),
        new IntArrayField<TrunkSpec>("q_stride", "[h, w] pooling stride of q-pool blocks (must be square).", s => s.QStride, (s, v) => s with { QStride = v }),
        new DoubleField<TrunkSpec>("dim_mul", "Channel multiplier at a stage transition (new dim = int(dim * dim_mul)).", s => s.DimMul, (s, v) => s with { DimMul = v }),
        new DoubleField<TrunkSpec>("head_mul", "Head-count multiplier at a stage transition (new heads = int(heads * head_mul)).", s => s.HeadMul, (s, v) => s with { HeadMul = v }),
        new DoubleField<TrunkSpec>("mlp_ratio", "Block MLP hidden width = int(dim_out * mlp_ratio).", s => s.MlpRatio, (s, v) => s with { MlpRatio = v }),
        new IntField<TrunkSpec>("patch_kernel_size", "Patch-embedding Conv2d kernel (SAM2 hard-codes 7).", s => s.PatchKernelSize, (s, v) => s with { PatchKernelSize = v }),
        new IntField<TrunkSpec>("patch_stride", "Patch-embedding Conv2d stride (SAM2 hard-codes 4).", s => s.PatchStride, (s, v) => s with { PatchStride = v }),
        new IntField<TrunkSpec>("patch_padding", "Patch-embedding Conv2d padding (SAM2 hard-codes 3).", s => s.PatchPadding, (s, v) => s with { PatchPadding = v }),
        new DoubleField<TrunkSpec>("layer_norm_eps", "eps of the blocks' norm1/norm2 LayerNorms.", s => s.LayerNormEps, (s, v) => s with { LayerNormEps = v }),
    });

    public static SchemaSection<NeckSpec> Neck { get; } = new(new SchemaField<NeckSpec>[]
    {
        new IntField<NeckSpec>("d_model", "FPN output channels; also SAM2's hidden_dim (prompt encoder, mask decoder, memory attention width).", s => s.DModel, (s, v) => s with { DModel = v }),
        new IntArrayField<NeckSpec>("backbone_channel_list", "Trunk stage channels, deepest first; must equal the trunk's channels reversed.", s => s.BackboneChannelList, (s, v) => s with { BackboneChannelList = v }),
        new IntArrayField<NeckSpec>("fpn_top_down_levels", "FPN levels (0 = stride 4) that receive the nearest-×2 top-down path.", s => s.FpnTopDownLevels, (s, v) => s with { FpnTopDownLevels = v }),
        new StringField<NeckSpec>("fpn_interp_model", "Top-down interpolation; only \"nearest\" (the released configs' mode) is supported.", s => s.FpnInterpModel, (s, v) => s with { FpnInterpModel = v }),
        new StringField<NeckSpec>("fuse_type", "\"sum\" or \"avg\" of lateral and top-down features.", s => s.FuseType, (s, v) => s with { FuseType = v }),
        new IntField<NeckSpec>("scalp", "Number of lowest-resolution FPN levels dropped from the outputs.", s => s.Scalp, (s, v) => s with { Scalp = v }),
        new DoubleField<NeckSpec>("position_encoding_temperature", "Temperature of the neck's sine position encoding.", s => s.PositionEncodingTemperature, (s, v) => s with { PositionEncodingTemperature = v }),
    });

    public static SchemaSection<PromptEncoderSpec> PromptEncoder { get; } = new(new SchemaField<PromptEncoderSpec>[]
    {
        new IntField<PromptEncoderSpec>("mask_in_chans", "Hidden channels of the mask-prompt downscaler (1 → mask_in_chans/4 → mask_in_chans → d_model).", s => s.MaskInChans, (s, v) => s with { MaskInChans = v }),
        new DoubleField<PromptEncoderSpec>("layer_norm_eps", "eps of the mask downscaler's LayerNorm2d.", s => s.LayerNormEps, (s, v) => s with { LayerNormEps = v }),
    });

    public static SchemaSection<MaskDecoderSpec> MaskDecoder { get; } = new(new SchemaField<MaskDecoderSpec>[]
    {
        new IntField<MaskDecoderSpec>("num_multimask_outputs", "Multimask candidates; the decoder has num_multimask_outputs + 1 mask tokens.", s => s.NumMultimaskOutputs, (s, v) => s with { NumMultimaskOutputs = v }),
        new IntField<MaskDecoderSpec>("transformer_depth", "Two-way transformer blocks.", s => s.TransformerDepth, (s, v) => s with { TransformerDepth = v }),
        new IntField<MaskDecoderSpec>("transformer_num_heads", "Heads of every two-way-transformer attention.", s => s.TransformerNumHeads, (s, v) => s with { TransformerNumHeads = v }),
        new IntField<MaskDecoderSpec>("transformer_mlp_dim", "Hidden width of the two-way transformer's token MLP.", s => s.TransformerMlpDim, (s, v) => s with { TransformerMlpDim = v }),
        new IntField<MaskDecoderSpec>("attention_downsample_rate", "Cross-attentions project to d_model / attention_downsample_rate channels.", s => s.AttentionDownsampleRate, (s, v) => s with { AttentionDownsampleRate = v }),
        new IntField<MaskDecoderSpec>("iou_head_depth", "Linear layers of the IoU prediction MLP.", s => s.IouHeadDepth, (s, v) => s with { IouHeadDepth = v }),
        new IntField<MaskDecoderSpec>("iou_head_hidden_dim", "Hidden width of the IoU prediction MLP.", s => s.IouHeadHiddenDim, (s, v) => s with { IouHeadHiddenDim = v }),
        new BoolField<MaskDecoderSpec>("use_high_res_features", "Use the stride-4/8 FPN levels (conv_s0/conv_s1) in mask upscaling.", s => s.UseHighResFeatures, (s, v) => s with { UseHighResFeatures = v }),
        new BoolField<MaskDecoderSpec>("iou_prediction_use_sigmoid", "Sigmoid on the IoU head output.", s => s.IouPredictionUseSigmoid, (s, v) => s with { IouPredictionUseSigmoid = v }),
        new BoolField<MaskDecoderSpec>("pred_obj_scores", "Object-score token and head (required: SAM2 configs set fixed_no_obj_ptr).", s => s.PredObjScores, (s, v) => s with { PredObjScores = v }),
        new BoolField<MaskDecoderSpec>("pred_obj_scores_mlp", "Object-score head is a 3-layer MLP (else one Linear).", s => s.PredObjScoresMlp, (s, v) => s with { PredObjScoresMlp = v }),
        new BoolField<MaskDecoderSpec>("use_multimask_token_for_obj_ptr", "Object pointer from the selected multimask token (else token 0).", s => s.UseMultimaskTokenForObjPtr, (s, v) => s with { UseMultimaskTokenForObjPtr = v }),
        new BoolField<MaskDecoderSpec>("dynamic_multimask_via_stability", "Single-mask output falls back to the best multimask token when token 0 is unstable.", s => s.DynamicMultimaskViaStability, (s, v) => s with { DynamicMultimaskViaStability = v }),
        new DoubleField<MaskDecoderSpec>("dynamic_multimask_stability_delta", "Logit offset of the stability score.", s => s.DynamicMultimaskStabilityDelta, (s, v) => s with { DynamicMultimaskStabilityDelta = v }),
        new DoubleField<MaskDecoderSpec>("dynamic_multimask_stability_thresh", "Stability at or above which token 0 is kept.", s => s.DynamicMultimaskStabilityThresh, (s, v) => s with { DynamicMultimaskStabilityThresh = v }),
        new DoubleField<MaskDecoderSpec>("transformer_layer_norm_eps", "eps of the two-way transformer's LayerNorms (PyTorch default).", s => s.TransformerLayerNormEps, (s, v) => s with { TransformerLayerNormEps = v }),
        new DoubleField<MaskDecoderSpec>("layer_norm_eps", "eps of the upscaling LayerNorm2d.", s => s.LayerNormEps, (s, v) => s with { LayerNormEps = v }),
    });

    public static SchemaSection<MemoryAttentionSpec> MemoryAttention { get; } = new(new SchemaField<MemoryAttentionSpec>[]
    {
        new IntField<MemoryAttentionSpec>("d_model", "Width of memory attention; must equal neck.d_model.", s => s.DModel, (s, v) => s with { DModel = v }),
        new IntField<MemoryAttentionSpec>("num_layers", "Memory-attention layers.", s => s.NumLayers, (s, v) => s with { NumLayers = v }),
        new IntField<MemoryAttentionSpec>("dim_feedforward", "FFN hidden width.", s => s.DimFeedforward, (s, v) => s with { DimFeedforward = v }),
        new IntField<MemoryAttentionSpec>("num_heads", "RoPE attention heads (head dim must be a multiple of 4).", s => s.NumHeads, (s, v) => s with { NumHeads = v }),
        new DoubleField<MemoryAttentionSpec>("rope_theta", "RoPE base frequency.", s => s.RopeTheta, (s, v) => s with { RopeTheta = v }),
        new IntField<MemoryAttentionSpec>("kv_in_dim", "Key/value input width of the cross-attention; must equal memory_encoder.out_dim.", s => s.KvInDim, (s, v) => s with { KvInDim = v }),
        new DoubleField<MemoryAttentionSpec>("dropout", "Dropout probability (training only).", s => s.Dropout, (s, v) => s with { Dropout = v }),
        new DoubleField<MemoryAttentionSpec>("layer_norm_eps", "eps of norm1..3 and the final norm.", s => s.LayerNormEps, (s, v) => s with { LayerNormEps = v }),
    });

    public static SchemaSection<MemoryEncoderSpec> MemoryEncoder { get; } = new(new SchemaField<MemoryEncoderSpec>[]
    {
        new IntField<MemoryEncoderSpec>("in_dim", "Channels of the image features it consumes; must equal neck.d_model.", s => s.InDim, (s, v) => s with { InDim = v }),
        new IntField<MemoryEncoderSpec>("out_dim", "Memory feature width (SAM2's mem_dim); out_proj exists when it differs from in_dim.", s => s.OutDim, (s, v) => s with { OutDim = v }),
        new IntField<MemoryEncoderSpec>("mask_downsampler_embed_dim", "Output channels of the mask downsampler; must equal in_dim.", s => s.MaskDownsamplerEmbedDim, (s, v) => s with { MaskDownsamplerEmbedDim = v }),
        new IntField<MemoryEncoderSpec>("mask_downsampler_kernel_size", "Kernel of each mask-downsampler conv.", s => s.MaskDownsamplerKernelSize, (s, v) => s with { MaskDownsamplerKernelSize = v }),
        new IntField<MemoryEncoderSpec>("mask_downsampler_stride", "Stride of each mask-downsampler conv (channels grow by stride² per conv).", s => s.MaskDownsamplerStride, (s, v) => s with { MaskDownsamplerStride = v }),
        new IntField<MemoryEncoderSpec>("mask_downsampler_padding", "Padding of each mask-downsampler conv.", s => s.MaskDownsamplerPadding, (s, v) => s with { MaskDownsamplerPadding = v }),
        new IntField<MemoryEncoderSpec>("mask_downsampler_total_stride", "Total mask downsampling (a power of the stride); must equal backbone_stride.", s => s.MaskDownsamplerTotalStride, (s, v) => s with { MaskDownsamplerTotalStride = v }),
        new IntField<MemoryEncoderSpec>("fuser_num_layers", "CXBlocks in the fuser.", s => s.FuserNumLayers, (s, v) => s with { FuserNumLayers = v }),
        new IntField<MemoryEncoderSpec>("fuser_kernel_size", "Depth-wise conv kernel of each CXBlock.", s => s.FuserKernelSize, (s, v) => s with { FuserKernelSize = v }),
        new IntField<MemoryEncoderSpec>("fuser_padding", "Depth-wise conv padding of each CXBlock (keeps the map size when (kernel-1)/2).", s => s.FuserPadding, (s, v) => s with { FuserPadding = v }),
        new DoubleField<MemoryEncoderSpec>("fuser_layer_scale_init", "Initial CXBlock layer scale; 0 removes the gamma parameter.", s => s.FuserLayerScaleInit, (s, v) => s with { FuserLayerScaleInit = v }),
        new DoubleField<MemoryEncoderSpec>("layer_norm_eps", "eps of the memory encoder's LayerNorm2d layers.", s => s.LayerNormEps, (s, v) => s with { LayerNormEps = v }),
    });

    public static SchemaSection<ArchSpec> Root { get; } = new(new SchemaField<ArchSpec>[]
    {
        new StringField<ArchSpec>("name", "Spec name; must equal the file stem (<name>.arch.json).", s => s.Name, (s, v) => s with { Name = v }) { Required = true },
        new NoteField<ArchSpec>("description", "Free text for people (JSON has no comments). Not part of the architecture: kept on ArchSpecDocument, not in ArchSpec or any hash."),
        new StringField<ArchSpec>("sam_version", "\"2.1\" or \"2.0\" (2.0 lacks no_obj_embed_spatial and obj_ptr_tpos_proj).", s => s.SamVersion, (s, v) => s with { SamVersion = v }),
        new IntField<ArchSpec>("image_size", "Square model input side in pixels.", s => s.ImageSize, (s, v) => s with { ImageSize = v }),
        new IntField<ArchSpec>("backbone_stride", "Stride of the image embedding (image_size / backbone_stride = embedding side).", s => s.BackboneStride, (s, v) => s with { BackboneStride = v }),
        new SectionField<ArchSpec, TrunkSpec>("trunk", "Hiera trunk (image_encoder.trunk).", Trunk, s => s.Trunk, (s, v) => s with { Trunk = v }),
        new SectionField<ArchSpec, NeckSpec>("neck", "FPN neck (image_encoder.neck) and scalp.", Neck, s => s.Neck, (s, v) => s with { Neck = v }),
        new SectionField<ArchSpec, PromptEncoderSpec>("prompt_encoder", "Prompt encoder (sam_prompt_encoder).", PromptEncoder, s => s.PromptEncoder, (s, v) => s with { PromptEncoder = v }),
        new SectionField<ArchSpec, MaskDecoderSpec>("mask_decoder", "Mask decoder (sam_mask_decoder) and its two-way transformer.", MaskDecoder, s => s.MaskDecoder, (s, v) => s with { MaskDecoder = v }),
        new SectionField<ArchSpec, MemoryAttentionSpec>("memory_attention", "Memory attention (video path).", MemoryAttention, s => s.MemoryAttention, (s, v) => s with { MemoryAttention = v }),
        new SectionField<ArchSpec, MemoryEncoderSpec>("memory_encoder", "Memory encoder (video path).", MemoryEncoder, s => s.MemoryEncoder, (s, v) => s with { MemoryEncoder = v }),
        new IntField<ArchSpec>("num_maskmem", "Memory slots (maskmem_tpos_enc first dimension).", s => s.NumMaskmem, (s, v) => s with { NumMaskmem = v }),
    });

    /// <summary>Every field (sections expanded) with its JSON default and meaning, for documentation.</summary>
    public static IReadOnlyList<SchemaFieldInfo> Describe() => Root.Describe(new ArchSpec(), "").ToList();
}
