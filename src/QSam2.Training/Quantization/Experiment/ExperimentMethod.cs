namespace QSam2.Training.Quantization.Experiment;

/// <summary>A row of the comparison (Q-SAM2's Table 1/2 layout on our model).</summary>
public enum ExperimentMethod
{
    Fp32,
    MinMaxPtq,
    VrcPtq,
    MinMaxQat,
    LscQat,
    VrcLscQat,
}

public static class ExperimentMethods
{
    public static IReadOnlyList<ExperimentMethod> All { get; } = Enum.GetValues<ExperimentMethod>();

    public static string Label(this ExperimentMethod m) => m switch
    {
        ExperimentMethod.Fp32 => "FP32",
        ExperimentMethod.MinMaxPtq => "MinMax PTQ",
        ExperimentMethod.VrcPtq => "PTQ + VRC",
        ExperimentMethod.MinMaxQat => "MinMax QAT",
        ExperimentMethod.LscQat => "LSC QAT",
        _ => "VRC + LSC QAT",
    };

    /// <summary>Stable key for JSON and resumption.</summary>
    public static string Key(this ExperimentMethod m) => m switch
    {
        ExperimentMethod.Fp32 => "fp32",
        ExperimentMethod.MinMaxPtq => "minmax_ptq",
        ExperimentMethod.VrcPtq => "vrc_ptq",
        ExperimentMethod.MinMaxQat => "minmax_qat",
        ExperimentMethod.LscQat => "lsc_qat",
        _ => "vrc_lsc_qat",
    };

    public static ExperimentMethod ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var m in All)
            if (m.Key() == key.Trim().ToLowerInvariant()) return m;
        throw new ArgumentException($"'{key}' is not a method ({string.Join(", ", All.Select(x => x.Key()))})");
    }
}
