using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;
using static QSam2.Spec.Arch.Validation.ValidationContext;

namespace QSam2.Spec.Arch.Validation;

/// <summary>Hiera trunk rules that do not depend on the image size.</summary>
internal static class TrunkRules
{
    /// <summary>Checks the trunk; returns false when the block schedule cannot be derived (later rules are skipped).</summary>
    public static bool Check(ValidationContext ctx, TrunkSpec t)
    {
        int before = ctx.Count;
        ctx.Positive("trunk.embed_dim", t.EmbedDim);
        ctx.Positive("trunk.num_heads", t.NumHeads);
        if (t.Stages.Count == 0) ctx.Invalid("trunk.stages", "'trunk.stages' must list at least one stage");
        for (int i = 0; i < t.Stages.Count; i++) ctx.Positive(Item("trunk.stages", i), t.Stages[i]);
        if (t.WindowSpec.Count != t.Stages.Count)
        {
            ctx.Error(SpecErrorCodes.InconsistentArchitecture, "trunk.window_spec",
                $"'trunk.window_spec' has {I(t.WindowSpec.Count)} entries but 'trunk.stages' has {I(t.Stages.Count)}; give one window size per stage");
        }
        for (int i = 0; i < t.WindowSpec.Count; i++) ctx.NonNegative(Item("trunk.window_spec", i), t.WindowSpec[i]);
        if (t.WindowSpec.Count > 0 && t.WindowSpec[0] == 0)
        {
            ctx.Invalid("trunk.window_spec[0]", "'trunk.window_spec[0]' must be positive: it is also the side of pos_embed_window");
        }
        if (t.WindowPosEmbedBkgSpatialSize.Count != 2)
        {
            ctx.Invalid("trunk.window_pos_embed_bkg_spatial_size", $"'trunk.window_pos_embed_bkg_spatial_size' must be [h, w], got {I(t.WindowPosEmbedBkgSpatialSize.Count)} entries");
        }
        for (int i = 0; i < t.WindowPosEmbedBkgSpatialSize.Count; i++) ctx.Positive(Item("trunk.window_pos_embed_bkg_spatial_size", i), t.WindowPosEmbedBkgSpatialSize[i]);
        if (t.QPool < 0 || t.QPool > Math.Max(0, t.Stages.Count - 1))
        {
            ctx.Invalid("trunk.q_pool", $"'trunk.q_pool' must be between 0 and the number of stage transitions ({I(Math.Max(0, t.Stages.Count - 1))}), got {I(t.QPool)}");
        }
        if (t.QStride.Count != 2)
        {
            ctx.Invalid("trunk.q_stride", $"'trunk.q_stride' must be [h, w], got {I(t.QStride.Count)} entries");
        }
        else
        {
            ctx.Positive("trunk.q_stride[0]", t.QStride[0]);
            ctx.Positive("trunk.q_stride[1]", t.QStride[1]);
            if (t.QStride[0] != t.QStride[1])
            {
                ctx.Error(SpecErrorCodes.Unsupported, "trunk.q_stride",
                    $"'trunk.q_stride' must be square: the reference shrinks windows by q_stride[0] in both directions, got {t.QStride}");
            }
        }
        ctx.Positive("trunk.dim_mul", t.DimMul);
        ctx.Positive("trunk.head_mul", t.HeadMul);
        ctx.Positive("trunk.mlp_ratio", t.MlpRatio);
        ctx.Positive("trunk.patch_kernel_size", t.PatchKernelSize);
        ctx.Positive("trunk.patch_stride", t.PatchStride);
        ctx.NonNegative("trunk.patch_padding", t.PatchPadding);
        ctx.Positive("trunk.layer_norm_eps", t.LayerNormEps);
        ctx.AtMost("trunk.embed_dim", t.EmbedDim, ArchLimits.MaxWidth);
        ctx.AtMost("trunk.num_heads", t.NumHeads, ArchLimits.MaxWidth);
        ctx.AtMost("trunk.stages", t.Stages.Count, ArchLimits.MaxStages);
        for (int i = 0; i < t.Stages.Count; i++) ctx.AtMost(Item("trunk.stages", i), t.Stages[i], ArchLimits.MaxBlocksPerStage);
        for (int i = 0; i < t.WindowSpec.Count; i++) ctx.AtMost(Item("trunk.window_spec", i), t.WindowSpec[i], ArchLimits.MaxSpatial);
        for (int i = 0; i < t.WindowPosEmbedBkgSpatialSize.Count; i++) ctx.AtMost(Item("trunk.window_pos_embed_bkg_spatial_size", i), t.WindowPosEmbedBkgSpatialSize[i], ArchLimits.MaxSpatial);
        for (int i = 0; i < t.QStride.Count; i++) ctx.AtMost(Item("trunk.q_stride", i), t.QStride[i], ArchLimits.MaxSpatial);
        ctx.AtMost("trunk.dim_mul", t.DimMul, ArchLimits.MaxMultiplier);
        ctx.AtMost("trunk.head_mul", t.HeadMul, ArchLimits.MaxMultiplier);
        ctx.AtMost("trunk.mlp_ratio", t.MlpRatio, ArchLimits.MaxMultiplier);
        ctx.AtMost("trunk.patch_kernel_size", t.PatchKernelSize, ArchLimits.MaxSpatial);
        ctx.AtMost("trunk.patch_stride", t.PatchStride, ArchLimits.MaxSpatial);
        ctx.AtMost("trunk.patch_padding", t.PatchPadding, ArchLimits.MaxSpatial);
        if (ctx.Count > before) return false;

        int depth = t.Stages.Sum();
        var qPool = HieraSchedule.QPoolBlocks(t);
        var seen = new HashSet<int>();
        for (int i = 0; i < t.GlobalAttBlocks.Count; i++)
        {
            int b = t.GlobalAttBlocks[i];
            var path = Item("trunk.global_att_blocks", i);
            if (b < 0 || b >= depth)
            {
                ctx.Invalid(path, $"global-attention block {I(b)} does not exist: the trunk has blocks 0..{I(depth - 1)}");
            }
            else if (!seen.Add(b))
            {
                ctx.Invalid(path, $"global-attention block {I(b)} is listed twice");
            }
            else if (Array.IndexOf(qPool, b) >= 0)
            {
                ctx.Error(SpecErrorCodes.GlobalQPoolBlock, path,
                    $"block {I(b)} is both a global-attention block and a q-pool block (first block of a pooled stage); "
                    + "the reference computes window_size // q_stride = 0 there and divides by zero. Pick another block");
            }
        }
        if (ctx.Count > before) return false;

        // Per-block widths: int() truncation of dim*dim_mul / heads*head_mul, as in Hiera.__init__.
        var blocks = HieraSchedule.Build(t, t.PatchStride * 64);
        foreach (var blk in blocks)
        {
            if (blk.DimOut <= 0 || blk.Heads <= 0 || blk.MlpHidden <= 0
                || blk.DimOut > ArchLimits.MaxWidth || blk.Heads > ArchLimits.MaxWidth || blk.MlpHidden > ArchLimits.MaxWidth * (long)ArchLimits.MaxMultiplier)
            {
                ctx.Invalid("trunk.dim_mul", $"block {I(blk.Index)} gets dim {I(blk.DimOut)}, heads {I(blk.Heads)}, MLP width {I(blk.MlpHidden)}; all must be positive and at most {I(ArchLimits.MaxWidth)} (dims and heads)");
                return false;
            }
            if (blk.DimOut % blk.Heads != 0)
            {
                ctx.Error(SpecErrorCodes.InconsistentArchitecture, "trunk.num_heads",
                    $"block {I(blk.Index)} (stage {I(blk.Stage)}) has {I(blk.DimOut)} channels, not divisible by its {I(blk.Heads)} heads");
                return false;
            }
        }
        return true;
    }

    /// <summary>Stage channels, deepest first, as <c>Hiera.channel_list</c> reports them.</summary>
    public static int[] ChannelListDeepestFirst(TrunkSpec t)
    {
        var blocks = HieraSchedule.Build(t, t.PatchStride * 64);
        return HieraSchedule.StageEnds(t).Reverse().Select(e => blocks[e].DimOut).ToArray();
    }
}
