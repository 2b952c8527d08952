using ILGPU;
using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Operands of a batched multi-head attention launch: <see cref="Batches"/> independent problems (Hiera windows), each
/// with Q [Queries, Heads·HeadDim] and K, V [Keys, Heads·HeadDim] at the given row strides (so the fused qkv buffer is
/// read in place) and batch strides (elements between consecutive windows).
/// </summary>
public struct AttentionArgs
{
    public ArrayView<float> Q;
    public int QStride;
    public long QBatchStride;
    public ArrayView<float> K;
    public ArrayView<float> V;
    public int KVStride;
    public long KVBatchStride;
    public ArrayView<float> O;
    public int OStride;
    public long OBatchStride;
    public int Batches;
    public int Queries;
    public int Keys;
    public int Heads;
    public int HeadDim;
    public float Scale;

    /// <summary>Hiera q-pooling: 1 for none, else each query is the max over a QPool × QPool patch of Q rows.</summary>
    public int QPool;

    /// <summary>Width in tokens of the (un-pooled) Q map of a batch, when <see cref="QPool"/> &gt; 1.</summary>
    public int QWidth;
}

/// <summary>
/// <c>O = softmax(Q·Kᵀ·scale)·V</c> per (batch, head), flash-style: one thread per query row streams over the keys
/// with an online softmax (running max and sum; the accumulated output is rescaled when the max grows), so no score
/// matrix is ever stored, whatever the token count (4096-token global blocks, 65 536-token windowed stages). Hiera's
/// q-pooling is fused: a pooled query is the max of its patch, read straight from the qkv buffer, so no pooled copy
/// (and no scratch) is needed.
/// Consecutive threads are consecutive queries of one head, so a warp reads each key and value row once, as a
/// broadcast. Dot products accumulate with FMA in channel order and exp is <see cref="DeviceMath.Exp"/>, as in
/// <c>AttentionCore</c>; only the softmax normalisation order differs (tolerance, not bit equality).
/// </summary>
public static class AttentionKernel
{
    /// <summary>Largest head dimension (per-thread query and accumulator rows live in local memory).</summary>
    public const int MaxHeadDim = 256;

    public static void Run(Index1D index, AttentionArgs a)
    {
        int perBatch = a.Heads * a.Queries;
        int batch = index / perBatch;
        int rest = index - batch * perBatch;
        int head = rest / a.Queries;
        int query = rest - head * a.Queries;
        int d = a.HeadDim;

        var q = LocalMemory.Allocate<float>(MaxHeadDim);
        var acc = LocalMemory.Allocate<float>(MaxHeadDim);
        if (a.QPool > 1)
        {
            int pooledWidth = a.QWidth / a.QPool;
            int qy = query / pooledWidth, qx = query - qy * pooledWidth;
            long patch = batch * a.QBatchStride + ((long)a.QPool * qy * a.QWidth + a.QPool * qx) * a.QStride + head * d;
            for (int c = 0; c < d; c++)
            {
                float best = float.NegativeInfinity;
                for (int dy = 0; dy < a.QPool; dy++)
                    for (int dx = 0; dx < a.QPool; dx++)
                        best = MathF.Max(best, a.Q[patch + ((long)dy * a.QWidth + dx) * a.QStride + c]);
                q[c] = best;
                acc[c] = 0f;
            }
        }
        else
        {
            long qBase = batch * a.QBatchStride + (long)query * a.QStride + head * d;
            for (int c = 0; c < d; c++)
            {
                q[c] = a.Q[qBase + c];
                acc[c] = 0f;
            }
        }

        float max = float.NegativeInfinity, total = 0f;
        long kvBase = batch * a.KVBatchStride + head * d;
        for (int j = 0; j < a.Keys; j++)
        {
            long row = kvBase + (long)j * a.KVStride;
            float s = 0f;
            for (int c = 0; c < d; c++) s = Fma(q[c], a.K[row + c], s);
            float t = s * a.Scale;
            if (t > max)
            {
                float correction = DeviceMath.Exp(max - t);
                total *= correction;
                for (int c = 0; c < d; c++) acc[c] *= correction;
                max = t;
            }
            float p = DeviceMath.Exp(t - max);
            total += p;
            for (int c = 0; c < d; c++) acc[c] = Fma(p, a.V[row + c], acc[c]);
        }

        float inv = 1f / total;
        long oBase = batch * a.OBatchStride + (long)query * a.OStride + head * d;
        for (int c = 0; c < d; c++) a.O[oBase + c] = acc[c] * inv;
    }
}
