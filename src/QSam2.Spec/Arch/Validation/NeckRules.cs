using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using static QSam2.Spec.Arch.Validation.ValidationContext;

namespace QSam2.Spec.Arch.Validation;

/// <summary>FPN neck rules that do not depend on the image size.</summary>
internal static class NeckRules
{
    public static void Check(ValidationContext ctx, ArchSpec spec, bool trunkOk)
    {
        var n = spec.Neck;
        ctx.Positive("neck.d_model", n.DModel);
        ctx.AtMost("neck.d_model", n.DModel, ArchLimits.MaxWidth);
        if (n.DModel > 0 && (n.DModel % 2 != 0 || n.DModel < 8))
        {
            ctx.Invalid("neck.d_model", $"'neck.d_model' must be even and at least 8 (sine/Fourier encodings split it in halves; the decoder uses d_model/8 channels), got {I(n.DModel)}");
        }
        int levels = n.BackboneChannelList.Count;
        if (trunkOk)
        {
            var expected = TrunkRules.ChannelListDeepestFirst(spec.Trunk);
            if (!expected.SequenceEqual(n.BackboneChannelList))
            {
                ctx.Error(SpecErrorCodes.InconsistentArchitecture, "neck.backbone_channel_list",
                    $"'neck.backbone_channel_list' is {n.BackboneChannelList} but the trunk's stage channels, deepest first, are [{string.Join(", ", expected)}]");
            }
        }
        for (int i = 0; i < n.FpnTopDownLevels.Count; i++)
        {
            int l = n.FpnTopDownLevels[i];
            if (l < 0 || l >= levels)
            {
                ctx.Invalid(Item("neck.fpn_top_down_levels", i), $"FPN level {I(l)} does not exist: levels are 0..{I(levels - 1)}");
            }
        }
        if (n.FpnInterpModel != "nearest")
        {
            ctx.Error(n.FpnInterpModel is "bilinear" or "bicubic" ? SpecErrorCodes.Unsupported : SpecErrorCodes.InvalidValue, "neck.fpn_interp_model",
                $"'neck.fpn_interp_model' must be \"nearest\" (the released configs' mode, the only one implemented), got \"{n.FpnInterpModel}\"");
        }
        if (n.FuseType != "sum" && n.FuseType != "avg")
        {
            ctx.Invalid("neck.fuse_type", $"'neck.fuse_type' must be \"sum\" or \"avg\", got \"{n.FuseType}\"");
        }
        int needed = spec.MaskDecoder.UseHighResFeatures ? 3 : 1;
        if (n.Scalp < 0 || levels - n.Scalp < needed)
        {
            ctx.Invalid("neck.scalp", $"'neck.scalp' = {I(n.Scalp)} leaves {I(levels - n.Scalp)} FPN level(s); SAM2 needs {I(needed)}"
                + (needed == 3 ? " (the mask decoder's high-res features use levels 0 and 1)" : ""));
        }
        ctx.Positive("neck.position_encoding_temperature", n.PositionEncodingTemperature);
    }
}
