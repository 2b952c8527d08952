using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using static QSam2.Spec.Arch.Validation.ValidationContext;

namespace QSam2.Spec.Arch.Validation;

/// <summary>Prompt encoder and mask decoder rules.</summary>
internal static class HeadRules
{
    public static void Check(ValidationContext ctx, ArchSpec spec)
    {
        var pe = spec.PromptEncoder;
        ctx.Positive("prompt_encoder.mask_in_chans", pe.MaskInChans);
        if (pe.MaskInChans > 0 && pe.MaskInChans % 4 != 0)
        {
            ctx.Invalid("prompt_encoder.mask_in_chans", $"'prompt_encoder.mask_in_chans' must be a multiple of 4 (its first conv has mask_in_chans/4 outputs), got {I(pe.MaskInChans)}");
        }
        ctx.Positive("prompt_encoder.layer_norm_eps", pe.LayerNormEps);
        ctx.AtMost("prompt_encoder.mask_in_chans", pe.MaskInChans, ArchLimits.MaxWidth);

        var md = spec.MaskDecoder;
        int d = spec.Neck.DModel;
        ctx.Positive("mask_decoder.num_multimask_outputs", md.NumMultimaskOutputs);
        ctx.Positive("mask_decoder.transformer_depth", md.TransformerDepth);
        ctx.Positive("mask_decoder.transformer_num_heads", md.TransformerNumHeads);
        ctx.Positive("mask_decoder.transformer_mlp_dim", md.TransformerMlpDim);
        ctx.Positive("mask_decoder.attention_downsample_rate", md.AttentionDownsampleRate);
        ctx.Positive("mask_decoder.iou_head_depth", md.IouHeadDepth);
        ctx.Positive("mask_decoder.iou_head_hidden_dim", md.IouHeadHiddenDim);
        ctx.AtMost("mask_decoder.num_multimask_outputs", md.NumMultimaskOutputs, ArchLimits.MaxCount);
        ctx.AtMost("mask_decoder.transformer_depth", md.TransformerDepth, ArchLimits.MaxCount);
        ctx.AtMost("mask_decoder.transformer_num_heads", md.TransformerNumHeads, ArchLimits.MaxWidth);
        ctx.AtMost("mask_decoder.transformer_mlp_dim", md.TransformerMlpDim, ArchLimits.MaxWidth);
        ctx.AtMost("mask_decoder.attention_downsample_rate", md.AttentionDownsampleRate, ArchLimits.MaxWidth);
        ctx.AtMost("mask_decoder.iou_head_depth", md.IouHeadDepth, ArchLimits.MaxCount);
        ctx.AtMost("mask_decoder.iou_head_hidden_dim", md.IouHeadHiddenDim, ArchLimits.MaxWidth);
        if (d > 0 && md.TransformerNumHeads > 0 && md.AttentionDownsampleRate > 0)
        {
            if (d % md.TransformerNumHeads != 0)
            {
                ctx.Error(SpecErrorCodes.InconsistentArchitecture, "mask_decoder.transformer_num_heads",
                    $"the two-way transformer width (neck.d_model = {I(d)}) is not divisible by 'mask_decoder.transformer_num_heads' = {I(md.TransformerNumHeads)}");
            }
            else if (d % md.AttentionDownsampleRate != 0 || (d / md.AttentionDownsampleRate) % md.TransformerNumHeads != 0)
            {
                ctx.Error(SpecErrorCodes.InconsistentArchitecture, "mask_decoder.attention_downsample_rate",
                    $"cross-attention width d_model / attention_downsample_rate = {I(d)} / {I(md.AttentionDownsampleRate)} must be a whole multiple of the {I(md.TransformerNumHeads)} heads");
            }
        }
        if (!md.PredObjScores)
        {
            ctx.Error(SpecErrorCodes.Unsupported, "mask_decoder.pred_obj_scores",
                "'mask_decoder.pred_obj_scores' must be true: SAM2 configs set fixed_no_obj_ptr, which requires object scores");
        }
        if (md.DynamicMultimaskStabilityDelta < 0)
        {
            ctx.Invalid("mask_decoder.dynamic_multimask_stability_delta", $"'mask_decoder.dynamic_multimask_stability_delta' must be >= 0, got {D(md.DynamicMultimaskStabilityDelta)}");
        }
        if (!(md.DynamicMultimaskStabilityThresh > 0 && md.DynamicMultimaskStabilityThresh <= 1))
        {
            ctx.Invalid("mask_decoder.dynamic_multimask_stability_thresh", $"'mask_decoder.dynamic_multimask_stability_thresh' must be in (0, 1], got {D(md.DynamicMultimaskStabilityThresh)}");
        }
        ctx.Positive("mask_decoder.transformer_layer_norm_eps", md.TransformerLayerNormEps);
        ctx.Positive("mask_decoder.layer_norm_eps", md.LayerNormEps);
    }
}
