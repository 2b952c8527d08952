using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Attention with axial rotary position encoding on queries and keys (memory attention). With
/// <c>rope_k_repeat</c> the query grid's rotation pattern is repeated over the keys (one copy per memory frame); the
/// last <c>numKExcludeRope</c> keys (object-pointer tokens) are not rotated. The query grid must be square.
/// </summary>
public sealed class RoPEAttention : Attention
{
    private readonly Dictionary<(long N, string Device), (Tensor Cos, Tensor Sin)> _tables = new();

    public RoPEAttention(int embeddingDim, int numHeads, int downsampleRate, double dropout, int? kvInDim, double ropeTheta, bool ropeKRepeat)
        : base(embeddingDim, numHeads, downsampleRate, dropout, kvInDim)
    {
        RopeTheta = ropeTheta;
        RopeKRepeat = ropeKRepeat;
    }

    public double RopeTheta { get; }

    public bool RopeKRepeat { get; }

    public Tensor Forward(Tensor q, Tensor k, Tensor v, int numKExcludeRope) => Attend(q, k, v, numKExcludeRope);

    protected override (Tensor Q, Tensor K) RotateHeads(Tensor q, Tensor k, int numKExcludeRope)
    {
        long nq = q.shape[2], nk = k.shape[2];
        if (nq != nk && !RopeKRepeat)
            throw new ArgumentException($"query length {nq} differs from key length {nk} but rope_k_repeat is off");
        var numKRope = nk - numKExcludeRope;
        if (numKRope < 0) throw new ArgumentException($"cannot exclude {numKExcludeRope} of {nk} keys from RoPE", nameof(numKExcludeRope));
        var (cos, sin) = Tables(nq, q.device);
        var qr = RotaryEncoding.Apply(q, cos, sin);
        if (numKRope == 0) return (qr, k);
        if (numKRope % nq != 0)
            throw new ArgumentException($"{numKRope} rotated keys are not a whole number of {nq}-token memory frames");
        var reps = numKRope / nq;
        var kCos = reps == 1 ? cos : cos.repeat(reps, 1);
        var kSin = reps == 1 ? sin : sin.repeat(reps, 1);
        var kRot = RotaryEncoding.Apply(k[.., .., ..(int)numKRope], kCos, kSin);
        var kr = numKRope == nk ? kRot : cat(new[] { kRot, k[.., .., (int)numKRope..] }, 2);
        return (qr, kr);
    }

    private (Tensor Cos, Tensor Sin) Tables(long n, Device device)
    {
        var key = (n, device.ToString());
        lock (_tables)
        {
            if (_tables.TryGetValue(key, out var cached)) return cached;
            var side = (long)Math.Round(Math.Sqrt(n));
            if (side * side != n) throw new ArgumentException($"RoPE attention needs a square query grid, got {n} tokens");
            var (cos, sin) = RotaryEncoding.AxialTables(InternalDim / NumHeads, side, side, RopeTheta, device);
            cached = (cos.DetachFromDisposeScope(), sin.DetachFromDisposeScope());
            _tables[key] = cached;
            return cached;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_tables)
            {
                foreach (var (cos, sin) in _tables.Values)
                {
                    cos.Dispose();
                    sin.Dispose();
                }
                _tables.Clear();
            }
        }
        base.Dispose(disposing);
    }
}
