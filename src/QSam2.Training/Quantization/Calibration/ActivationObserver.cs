using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// Accumulates <see cref="ActivationStatistics"/> over calibration batches: exact moments and extremes, and a
/// reservoir sample (Algorithm R over a random subset of each batch) of at most <see cref="Capacity"/> values,
/// so memory stays bounded for any number of images. Seeded, so calibration is reproducible.
/// </summary>
public sealed class ActivationObserver
{
    private readonly Random _rng;
    private readonly List<float> _reservoir = new();
    private long _count;
    private long _seen;
    private double _sum;
    private double _sumSq;
    private float _min = float.PositiveInfinity;
    private float _max = float.NegativeInfinity;

    public ActivationObserver(int seed, int capacity = 1 << 16, int perBatch = 1 << 13)
    {
        if (capacity < 1 || perBatch < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity and per-batch sample must be positive");
        _rng = new Random(seed);
        Capacity = capacity;
        PerBatch = perBatch;
    }

    public int Capacity { get; }

    /// <summary>Values drawn from one batch into the reservoir stream.</summary>
    public int PerBatch { get; }

    public long Count => _count;

    public void Observe(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = x.detach().reshape(-1).to_type(ScalarType.Float32).cpu();
        long n = flat.numel();
        if (n == 0) return;
        var d = flat.to_type(ScalarType.Float64);
        _sum += d.sum().item<double>();
        _sumSq += d.square().sum().item<double>();
        _min = MathF.Min(_min, flat.min().item<float>());
        _max = MathF.Max(_max, flat.max().item<float>());
        _count += n;

        Tensor picked = flat;
        if (n > PerBatch)
        {
            var idx = new long[PerBatch];
            for (int i = 0; i < idx.Length; i++) idx[i] = _rng.NextInt64(n);
            picked = flat.index_select(0, tensor(idx));
        }
        // One bulk copy: enumerating a TensorAccessor element by element is slow.
        foreach (var v in picked.contiguous().data<float>().ToArray())
        {
            _seen++;
            if (_reservoir.Count < Capacity) _reservoir.Add(v);
            else
            {
                long j = _rng.NextInt64(_seen);
                if (j < Capacity) _reservoir[(int)j] = v;
            }
        }
    }

    public ActivationStatistics Finish(string layer)
    {
        if (_count == 0) throw new InvalidOperationException($"{layer}: no activation was observed (the layer never ran on the calibration images)");
        double mean = _sum / _count;
        double variance = Math.Max(0, (_sumSq / _count) - (mean * mean));
        return new ActivationStatistics(_count, mean, Math.Sqrt(variance), _min, _max, _reservoir.ToArray());
    }
}
