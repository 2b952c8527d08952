using QSam2.Spec.Arch.Expansion;
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
    /// Per-block plans taken from the one schedule the whole project shares (<see cref="HieraSchedule"/> in QSam2.Spec),
    /// so the model, the quantizer and the generator can never disagree on windows, widths or q-pooling.
    /// The schedule's per-block fields don't depend on the image size; any valid size works for the lookup.
    /// </summary>
    public static IReadOnlyList<HieraBlockPlan> Build(TrunkSpec trunk)
    {
        if (trunk.Stages.Count == 0) throw new ArgumentException("trunk.stages is empty", nameof(trunk));
        if (trunk.WindowSpec.Count != trunk.Stages.Count)
            throw new ArgumentException($"trunk.window_spec has {trunk.WindowSpec.Count} entries but trunk.stages has {trunk.Stages.Count}", nameof(trunk));
        for (var i = 0; i < trunk.Stages.Count; i++)
            if (trunk.Stages[i] <= 0) throw new ArgumentException($"trunk.stages[{i}] = {trunk.Stages[i]} must be positive", nameof(trunk));
        if (trunk.QPool < 0 || trunk.QPool > trunk.Stages.Count - 1)
            throw new ArgumentException($"trunk.q_pool = {trunk.QPool} must be in [0, {trunk.Stages.Count - 1}]", nameof(trunk));

        var plans = new List<HieraBlockPlan>();
        foreach (var b in HieraSchedule.Build(trunk, ScheduleProbeImageSize(trunk)))
        {
            if (b.DimOut % b.Heads != 0)
                throw new ArgumentException($"trunk block {b.Index}: width {b.DimOut} is not divisible by {b.Heads} heads", nameof(trunk));
            plans.Add(new HieraBlockPlan(b.Index, b.Stage, b.Dim, b.DimOut, b.Heads, b.WindowSize, b.IsQPool));
        }
        return plans;
    }

    /// <summary>Index of the last block of every stage: <c>sum(stages[..i+1]) - 1</c>.</summary>
    public static int[] StageEnds(TrunkSpec trunk) => HieraSchedule.StageEnds(trunk);

    // Smallest input whose stage maps stay at least 1x1 after every q-pool, so map sizes in the probe are well defined.
    private static int ScheduleProbeImageSize(TrunkSpec trunk)
    {
        var stride = trunk.PatchStride;
        for (var i = 0; i < trunk.QPool; i++) stride *= trunk.QStride.Count > 0 ? trunk.QStride[0] : 1;
        return stride * Math.Max(1, trunk.WindowSpec.Max());
    }

    /// <summary>Channels at the end of every stage, shallowest first (the neck's backbone_channel_list reversed).</summary>
    public static int[] StageChannels(TrunkSpec trunk)
    {
        var plans = Build(trunk);
        return StageEnds(trunk).Select(e => plans[e].DimOut).ToArray();
    }
}
