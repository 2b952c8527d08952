using QSam2.Spec.Model;

namespace QSam2.Training.Modeling;

/// <summary>
/// One Hiera block's shape as derived from the trunk config (hieradet.py constructor rules).
/// <paramref name="WindowSize"/> 0 means global attention; <paramref name="QPool"/> marks a stage-transition block that
/// max-pools its queries (and its shortcut) by the trunk's q_stride.
/// </summary>
public sealed record HieraBlockPlan(int Index, int Stage, int DimIn, int DimOut, int Heads, int WindowSize, bool QPool)
{
    /// <summary>
    /// Expands a trunk config into per-block plans. The window lookup lags a block behind the stage counter: the first
    /// block of a stage still uses the previous stage's window (the official code increments the stage after the lookup).
    /// </summary>
    public static IReadOnlyList<HieraBlockPlan> Build(TrunkSpec trunk)
    {
        var stages = trunk.Stages.ToArray();
        var windows = trunk.WindowSpec.ToArray();
        if (stages.Length == 0) throw new ArgumentException("trunk.stages is empty", nameof(trunk));
        if (windows.Length != stages.Length)
            throw new ArgumentException($"trunk.window_spec has {windows.Length} entries but trunk.stages has {stages.Length}", nameof(trunk));
        var stageEnds = StageEnds(trunk);
        if (trunk.QPool < 0 || trunk.QPool > stageEnds.Length - 1)
            throw new ArgumentException($"trunk.q_pool = {trunk.QPool} must be in [0, {stageEnds.Length - 1}]", nameof(trunk));
        var qPoolBlocks = stageEnds.Take(stageEnds.Length - 1).Select(e => e + 1).Take(trunk.QPool).ToHashSet();
        var globals = trunk.GlobalAttBlocks.ToHashSet();

        var plans = new List<HieraBlockPlan>();
        var dim = trunk.EmbedDim;
        var heads = trunk.NumHeads;
        var curStage = 1;
        var depth = stages.Sum();
        for (var i = 0; i < depth; i++)
        {
            var dimOut = dim;
            var window = windows[curStage - 1];
            if (globals.Contains(i)) window = 0;
            if (Array.IndexOf(stageEnds, i - 1) >= 0)
            {
                dimOut = (int)(dim * trunk.DimMul);
                heads = (int)(heads * trunk.HeadMul);
                curStage++;
            }
            if (dimOut % heads != 0)
                throw new ArgumentException($"trunk block {i}: width {dimOut} is not divisible by {heads} heads", nameof(trunk));
            plans.Add(new HieraBlockPlan(i, curStage, dim, dimOut, heads, window, qPoolBlocks.Contains(i)));
            dim = dimOut;
        }
        return plans;
    }

    /// <summary>Index of the last block of every stage: <c>sum(stages[..i+1]) - 1</c>.</summary>
    public static int[] StageEnds(TrunkSpec trunk)
    {
        var stages = trunk.Stages.ToArray();
        var ends = new int[stages.Length];
        var acc = 0;
        for (var i = 0; i < stages.Length; i++)
        {
            if (stages[i] <= 0) throw new ArgumentException($"trunk.stages[{i}] = {stages[i]} must be positive", nameof(trunk));
            acc += stages[i];
            ends[i] = acc - 1;
        }
        return ends;
    }

    /// <summary>Channels at the end of every stage, shallowest first (the neck's backbone_channel_list reversed).</summary>
    public static int[] StageChannels(TrunkSpec trunk)
    {
        var plans = Build(trunk);
        return StageEnds(trunk).Select(e => plans[e].DimOut).ToArray();
    }
}
