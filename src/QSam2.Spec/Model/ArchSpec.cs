namespace QSam2.Spec.Model;

/// <summary>
/// A SAM2 architecture as declared in <c>specs/arch/&lt;name&gt;.arch.json</c>.
/// Every constant the reference implementation hard-codes is a field here whose default is SAM2's value,
/// so small variants (sam2_mini, test fixtures) are the same architecture with other numbers.
/// JSON field names are the snake_case of the property names (e.g. <c>image_size</c>).
/// </summary>
public sealed record ArchSpec
{
    /// <summary>Spec name, e.g. <c>sam2.1_hiera_t</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>"2.1" or "2.0". SAM 2.0 lacks <c>no_obj_embed_spatial</c> and <c>obj_ptr_tpos_proj</c>.</summary>
    public string SamVersion { get; init; } = "2.1";

    /// <summary>Square model input side (1024 for the released models).</summary>
    public int ImageSize { get; init; } = 1024;

    /// <summary>Stride of the image embedding relative to the input (16 → 64×64 at 1024).</summary>
    public int BackboneStride { get; init; } = 16;

    public TrunkSpec Trunk { get; init; } = new();
    public NeckSpec Neck { get; init; } = new();
    public PromptEncoderSpec PromptEncoder { get; init; } = new();
    public MaskDecoderSpec MaskDecoder { get; init; } = new();
    public MemoryAttentionSpec MemoryAttention { get; init; } = new();
    public MemoryEncoderSpec MemoryEncoder { get; init; } = new();

    /// <summary>Number of memory slots (<c>maskmem_tpos_enc</c> first dim).</summary>
    public int NumMaskmem { get; init; } = 7;

    /// <summary>Side of the image embedding grid.</summary>
    public int EmbeddingSize => ImageSize / BackboneStride;

    /// <summary>Hidden width shared by the neck, prompt encoder and mask decoder (SAM2's <c>hidden_dim</c>).</summary>
    public int HiddenDim => Neck.DModel;

    /// <summary>Memory feature width (SAM2's <c>mem_dim</c> = memory encoder out_dim).</summary>
    public int MemDim => MemoryEncoder.OutDim;

    public bool IsSam21 => SamVersion == "2.1";
}

/// <summary>Hiera trunk (<c>image_encoder.trunk</c>).</summary>
public sealed record TrunkSpec
{
    public int EmbedDim { get; init; } = 96;
    public int NumHeads { get; init; } = 1;
    public EquatableArray<int> Stages { get; init; } = new[] { 2, 3, 16, 3 };
    public EquatableArray<int> GlobalAttBlocks { get; init; } = new[] { 12, 16, 20 };
    public EquatableArray<int> WindowSpec { get; init; } = new[] { 8, 4, 14, 7 };
    public EquatableArray<int> WindowPosEmbedBkgSpatialSize { get; init; } = new[] { 14, 14 };
    public int QPool { get; init; } = 3;
    public EquatableArray<int> QStride { get; init; } = new[] { 2, 2 };
    public double DimMul { get; init; } = 2.0;
    public double HeadMul { get; init; } = 2.0;
    public double MlpRatio { get; init; } = 4.0;
    public int PatchKernelSize { get; init; } = 7;
    public int PatchStride { get; init; } = 4;
    public int PatchPadding { get; init; } = 3;
    public double LayerNormEps { get; init; } = 1e-6;
}

/// <summary>FPN neck (<c>image_encoder.neck</c>) and the image encoder's scalp.</summary>
public sealed record NeckSpec
{
    public int DModel { get; init; } = 256;
    /// <summary>Trunk stage channels, deepest first (must equal the trunk's channel list reversed).</summary>
    public EquatableArray<int> BackboneChannelList { get; init; } = new[] { 768, 384, 192, 96 };
    public EquatableArray<int> FpnTopDownLevels { get; init; } = new[] { 2, 3 };
    /// <summary>"nearest" (the only mode the released configs use).</summary>
    public string FpnInterpModel { get; init; } = "nearest";
    /// <summary>"sum" or "avg".</summary>
    public string FuseType { get; init; } = "sum";
    public int Scalp { get; init; } = 1;
    public double PositionEncodingTemperature { get; init; } = 10000;
}

/// <summary>Prompt encoder (<c>sam_prompt_encoder</c>).</summary>
public sealed record PromptEncoderSpec
{
    public int MaskInChans { get; init; } = 16;
    public double LayerNormEps { get; init; } = 1e-6;
}

/// <summary>Mask decoder (<c>sam_mask_decoder</c>) and its two-way transformer.</summary>
public sealed record MaskDecoderSpec
{
    public int NumMultimaskOutputs { get; init; } = 3;
    public int TransformerDepth { get; init; } = 2;
    public int TransformerNumHeads { get; init; } = 8;
    public int TransformerMlpDim { get; init; } = 2048;
    public int AttentionDownsampleRate { get; init; } = 2;
    public int IouHeadDepth { get; init; } = 3;
    public int IouHeadHiddenDim { get; init; } = 256;
    public bool UseHighResFeatures { get; init; } = true;
    public bool IouPredictionUseSigmoid { get; init; } = true;
    public bool PredObjScores { get; init; } = true;
    public bool PredObjScoresMlp { get; init; } = true;
    public bool UseMultimaskTokenForObjPtr { get; init; } = true;
    public bool DynamicMultimaskViaStability { get; init; } = true;
    public double DynamicMultimaskStabilityDelta { get; init; } = 0.05;
    public double DynamicMultimaskStabilityThresh { get; init; } = 0.98;
    /// <summary>LayerNorm eps inside the two-way transformer (PyTorch default).</summary>
    public double TransformerLayerNormEps { get; init; } = 1e-5;
    /// <summary>LayerNorm2d eps in the upscaling path.</summary>
    public double LayerNormEps { get; init; } = 1e-6;
}

/// <summary>Memory attention (<c>memory_attention</c>), video path.</summary>
public sealed record MemoryAttentionSpec
{
    public int DModel { get; init; } = 256;
    public int NumLayers { get; init; } = 4;
    public int DimFeedforward { get; init; } = 2048;
    public int NumHeads { get; init; } = 1;
    public double RopeTheta { get; init; } = 10000;
    /// <summary>Key/value input width of the cross-attention (= memory encoder out_dim in the released configs).</summary>
    public int KvInDim { get; init; } = 64;
    public double Dropout { get; init; } = 0.1;
    public double LayerNormEps { get; init; } = 1e-5;
}

/// <summary>Memory encoder (<c>memory_encoder</c>), video path.</summary>
public sealed record MemoryEncoderSpec
{
    public int InDim { get; init; } = 256;
    public int OutDim { get; init; } = 64;
    public int MaskDownsamplerEmbedDim { get; init; } = 256;
    public int MaskDownsamplerKernelSize { get; init; } = 3;
    public int MaskDownsamplerStride { get; init; } = 2;
    public int MaskDownsamplerPadding { get; init; } = 1;
    public int MaskDownsamplerTotalStride { get; init; } = 16;
    public int FuserNumLayers { get; init; } = 2;
    public int FuserKernelSize { get; init; } = 7;
    public int FuserPadding { get; init; } = 3;
    public double FuserLayerScaleInit { get; init; } = 1e-6;
    public double LayerNormEps { get; init; } = 1e-6;
}
