namespace QSam2.Training.Evaluation;

/// <summary>Mean IoU of one group of instances (a size class or a category); <see cref="MIou"/> is NaN when empty.</summary>
public sealed record GroupScore(string Name, int Count, double MIou);

/// <summary>
/// How well the IoU head tracks the true IoU over all instances: Pearson correlation, mean absolute error,
/// and both means (NaN where undefined, e.g. correlation with a constant).
/// </summary>
public sealed record IouCalibration(double Pearson, double MeanAbsoluteError, double MeanPredicted, double MeanActual);

/// <summary>The outcome of one <c>qsam2 eval</c> run.</summary>
public sealed record EvalReport
{
    public required string Prompt { get; init; }

    /// <summary>"labels", or the reference checkpoint under <c>--against</c>.</summary>
    public required string Reference { get; init; }

    public required int Images { get; init; }

    public required int Instances { get; init; }

    /// <summary>Mean IoU over instances (NaN when there are none).</summary>
    public required double MIou { get; init; }

    /// <summary>Small, medium, large (always all three, in that order).</summary>
    public required IReadOnlyList<GroupScore> BySize { get; init; }

    /// <summary>Categories sorted from the lowest mIoU (hardest) up.</summary>
    public required IReadOnlyList<GroupScore> ByCategory { get; init; }

    public required IouCalibration IouPrediction { get; init; }

    public double Seconds { get; init; }

    /// <summary>Aggregates per-instance results into the report numbers.</summary>
    public static EvalReport FromInstances(string prompt, string reference, int images, IReadOnlyList<InstanceResult> instances, double seconds)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var bySize = Enum.GetValues<ObjectSize>()
            .Select(s => Group(s.Name(), instances.Where(i => i.Size == s)))
            .ToArray();
        var byCategory = instances.GroupBy(i => i.Category, StringComparer.Ordinal)
            .Select(g => Group(g.Key, g))
            .OrderBy(g => g.MIou)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToArray();
        return new EvalReport
        {
            Prompt = prompt,
            Reference = reference,
            Images = images,
            Instances = instances.Count,
            MIou = Mean(instances.Select(i => i.Iou)),
            BySize = bySize,
            ByCategory = byCategory,
            IouPrediction = Calibration(instances),
            Seconds = seconds,
        };
    }

    private static GroupScore Group(string name, IEnumerable<InstanceResult> items)
    {
        var list = items.ToList();
        return new GroupScore(name, list.Count, Mean(list.Select(i => i.Iou)));
    }

    private static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        int n = 0;
        foreach (var v in values) { sum += v; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    private static IouCalibration Calibration(IReadOnlyList<InstanceResult> instances)
    {
        int n = instances.Count;
        if (n == 0) return new IouCalibration(double.NaN, double.NaN, double.NaN, double.NaN);
        double mp = Mean(instances.Select(i => i.PredictedIou)), ma = Mean(instances.Select(i => i.Iou));
        double cov = 0, vp = 0, va = 0, mae = 0;
        foreach (var i in instances)
        {
            double dp = i.PredictedIou - mp, da = i.Iou - ma;
            cov += dp * da;
            vp += dp * dp;
            va += da * da;
            mae += Math.Abs(i.PredictedIou - i.Iou);
        }
        double pearson = vp > 0 && va > 0 ? cov / Math.Sqrt(vp * va) : double.NaN;
        return new IouCalibration(pearson, mae / n, mp, ma);
    }
}
