using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using static QSam2.Spec.Arch.Validation.ValidationContext;

namespace QSam2.Spec.Arch.Validation;

/// <summary>Memory attention / memory encoder rules (the video path; their weights are in every checkpoint).</summary>
internal static class MemoryRules
{
    public static void Check(ValidationContext ctx, ArchSpec spec)
    {
        int d = spec.Neck.DModel;
        var ma = spec.MemoryAttention;
        var me = spec.MemoryEncoder;

        ctx.Positive("memory_attention.d_model", ma.DModel);
        if (ma.DModel > 0 && d > 0 && ma.DModel != d)
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_attention.d_model",
                $"'memory_attention.d_model' = {I(ma.DModel)} must equal 'neck.d_model' = {I(d)} (it conditions the neck's features)");
        }
        ctx.Positive("memory_attention.num_layers", ma.NumLayers);
        ctx.Positive("memory_attention.dim_feedforward", ma.DimFeedforward);
        ctx.Positive("memory_attention.num_heads", ma.NumHeads);
        if (ma.DModel > 0 && ma.NumHeads > 0 && (ma.DModel % ma.NumHeads != 0 || (ma.DModel / ma.NumHeads) % 4 != 0))
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_attention.num_heads",
                $"memory-attention head width d_model / num_heads = {I(ma.DModel)} / {I(ma.NumHeads)} must be a whole multiple of 4 (axial RoPE rotates channel pairs per axis)");
        }
        ctx.Positive("memory_attention.rope_theta", ma.RopeTheta);
        ctx.Positive("memory_attention.kv_in_dim", ma.KvInDim);
        if (ma.KvInDim > 0 && me.OutDim > 0 && ma.KvInDim != me.OutDim)
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_attention.kv_in_dim",
                $"'memory_attention.kv_in_dim' = {I(ma.KvInDim)} must equal 'memory_encoder.out_dim' = {I(me.OutDim)} (the memories it attends to)");
        }
        if (!(ma.Dropout >= 0 && ma.Dropout < 1))
        {
            ctx.Invalid("memory_attention.dropout", $"'memory_attention.dropout' must be in [0, 1), got {D(ma.Dropout)}");
        }
        ctx.Positive("memory_attention.layer_norm_eps", ma.LayerNormEps);
        ctx.AtMost("memory_attention.d_model", ma.DModel, ArchLimits.MaxWidth);
        ctx.AtMost("memory_attention.num_layers", ma.NumLayers, ArchLimits.MaxCount);
        ctx.AtMost("memory_attention.dim_feedforward", ma.DimFeedforward, ArchLimits.MaxWidth);
        ctx.AtMost("memory_attention.num_heads", ma.NumHeads, ArchLimits.MaxWidth);
        ctx.AtMost("memory_attention.kv_in_dim", ma.KvInDim, ArchLimits.MaxWidth);

        ctx.Positive("memory_encoder.in_dim", me.InDim);
        if (me.InDim > 0 && d > 0 && me.InDim != d)
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_encoder.in_dim",
                $"'memory_encoder.in_dim' = {I(me.InDim)} must equal 'neck.d_model' = {I(d)} (it encodes the neck's features)");
        }
        ctx.Positive("memory_encoder.out_dim", me.OutDim);
        if (me.OutDim > 0 && d > 0 && (me.OutDim > d || d % me.OutDim != 0))
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_encoder.out_dim",
                $"'memory_encoder.out_dim' = {I(me.OutDim)} must divide 'neck.d_model' = {I(d)}: object pointers are split into d_model/out_dim memory tokens");
        }
        ctx.Positive("memory_encoder.mask_downsampler_embed_dim", me.MaskDownsamplerEmbedDim);
        if (me.MaskDownsamplerEmbedDim > 0 && me.InDim > 0 && me.MaskDownsamplerEmbedDim != me.InDim)
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_encoder.mask_downsampler_embed_dim",
                $"'memory_encoder.mask_downsampler_embed_dim' = {I(me.MaskDownsamplerEmbedDim)} must equal 'memory_encoder.in_dim' = {I(me.InDim)} (the two are added)");
        }
        ctx.Positive("memory_encoder.mask_downsampler_kernel_size", me.MaskDownsamplerKernelSize);
        if (me.MaskDownsamplerStride < 2)
        {
            ctx.Invalid("memory_encoder.mask_downsampler_stride", $"'memory_encoder.mask_downsampler_stride' must be at least 2, got {I(me.MaskDownsamplerStride)}");
        }
        ctx.NonNegative("memory_encoder.mask_downsampler_padding", me.MaskDownsamplerPadding);
        if (me.MaskDownsamplerStride >= 2)
        {
            long t = 1;
            while (t < me.MaskDownsamplerTotalStride) t *= me.MaskDownsamplerStride;
            if (me.MaskDownsamplerTotalStride < me.MaskDownsamplerStride || t != me.MaskDownsamplerTotalStride)
            {
                ctx.Invalid("memory_encoder.mask_downsampler_total_stride",
                    $"'memory_encoder.mask_downsampler_total_stride' = {I(me.MaskDownsamplerTotalStride)} must be a power (>= 1) of the stride {I(me.MaskDownsamplerStride)}");
            }
            else if (me.MaskDownsamplerTotalStride != spec.BackboneStride)
            {
                ctx.Error(SpecErrorCodes.InconsistentArchitecture, "memory_encoder.mask_downsampler_total_stride",
                    $"'memory_encoder.mask_downsampler_total_stride' = {I(me.MaskDownsamplerTotalStride)} must equal 'backbone_stride' = {I(spec.BackboneStride)}: the image-size mask is downsampled onto the image embedding");
            }
        }
        ctx.NonNegative("memory_encoder.fuser_num_layers", me.FuserNumLayers);
        if (me.FuserKernelSize <= 0 || me.FuserKernelSize % 2 == 0 || me.FuserPadding != (me.FuserKernelSize - 1) / 2)
        {
            ctx.Invalid("memory_encoder.fuser_kernel_size",
                $"the fuser's depth-wise conv must keep the map size: an odd 'fuser_kernel_size' with 'fuser_padding' = (kernel-1)/2, got kernel {I(me.FuserKernelSize)}, padding {I(me.FuserPadding)}");
        }
        if (!(me.FuserLayerScaleInit >= 0))
        {
            ctx.Invalid("memory_encoder.fuser_layer_scale_init", $"'memory_encoder.fuser_layer_scale_init' must be >= 0, got {D(me.FuserLayerScaleInit)}");
        }
        ctx.Positive("memory_encoder.layer_norm_eps", me.LayerNormEps);
        ctx.AtMost("memory_encoder.in_dim", me.InDim, ArchLimits.MaxWidth);
        ctx.AtMost("memory_encoder.out_dim", me.OutDim, ArchLimits.MaxWidth);
        ctx.AtMost("memory_encoder.mask_downsampler_embed_dim", me.MaskDownsamplerEmbedDim, ArchLimits.MaxWidth);
        ctx.AtMost("memory_encoder.mask_downsampler_kernel_size", me.MaskDownsamplerKernelSize, ArchLimits.MaxSpatial);
        ctx.AtMost("memory_encoder.mask_downsampler_stride", me.MaskDownsamplerStride, ArchLimits.MaxSpatial);
        ctx.AtMost("memory_encoder.mask_downsampler_padding", me.MaskDownsamplerPadding, ArchLimits.MaxSpatial);
        ctx.AtMost("memory_encoder.mask_downsampler_total_stride", me.MaskDownsamplerTotalStride, ArchLimits.MaxSpatial);
        ctx.AtMost("memory_encoder.fuser_num_layers", me.FuserNumLayers, ArchLimits.MaxCount);
        ctx.AtMost("memory_encoder.fuser_kernel_size", me.FuserKernelSize, ArchLimits.MaxSpatial);
    }
}
