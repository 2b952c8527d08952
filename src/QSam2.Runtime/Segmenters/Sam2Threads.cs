namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Process-wide cap on the threads the generated segmenters' CPU path uses (row tiles, attention windows and query
/// blocks), the counterpart of <c>torch.set_num_threads</c>: benchmarks compare both at equal thread counts, and an
/// application sharing the machine can keep a segmenter to fewer cores. The generator still decides how many parallel
/// scratch slots each step has; this only lowers how many of them run at once. Results do not depend on it.
/// </summary>
public static class Sam2Threads
{
    private static int s_max = Environment.ProcessorCount;

    /// <summary>Most threads one step runs on (default: the processor count).</summary>
    public static int Max
    {
        get => s_max;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Sam2Threads.Max must be at least 1");
            s_max = value;
        }
    }
}
