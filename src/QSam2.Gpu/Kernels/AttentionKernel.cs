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
/// <c>O = softmax(Q·Kᵀ·scale)·V</c> per (batch, head), one thread per query row, no score matrix stored (whatever the
/// token count: 4096-token global blocks, 65 536-token windowed stages). Hiera's q-pooling is fused: a pooled query is
/// the max of its patch, read straight from the qkv buffer, so no pooled copy and no scratch. Consecutive threads are
/// consecutive queries of one head, so a warp reads each key and value row once, as a broadcast.
/// <para>Numerics are those of the CPU path (<c>AttentionCore</c>'s AVX2 version): scores accumulate with FMA in
/// channel order, the exponentials are summed in the AVX2 lane order (<see cref="LaneSum"/>) while the unnormalised
/// output accumulates <c>fma(e_j, v_j, acc)</c> in key order, and the output row is multiplied by 1/Σ at the end.
/// Without a stored score row this takes two passes over the keys (the max, then exp/sum/accumulate), recomputing each
/// score; in exchange the attention outputs, and so every code quantized from them, equal the SIMD path's.</para>
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
        var lanes = LocalMemory.Allocate<float>(16);
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

        long kvBase = batch * a.KVBatchStride + head * d;
        int keys = a.Keys;

        // Pass 1: the row max of the scaled scores (exact in any order).
        float max = float.NegativeInfinity;
        for (int j = 0; j < keys; j++) max = MathF.Max(max, Score(a, q, kvBase, j, d) * a.Scale);

        // Pass 2: e_j = exp(fma(s_j, scale, −max)), summed in the AVX2 lane order (16 lanes, an 8-lane tail, the scalar
        // tail) and accumulated unnormalised into the output by FMA in key order; the output row is scaled by 1/Σ last.
        for (int l = 0; l < 16; l++) lanes[l] = 0f;
        int k = 0;
        for (; k + 16 <= keys; k += 16)
            for (int l = 0; l < 16; l++) lanes[l] += Accumulate(a, q, acc, kvBase, k + l, d, max);
        for (; k + 8 <= keys; k += 8)
            for (int l = 0; l < 8; l++) lanes[l] += Accumulate(a, q, acc, kvBase, k + l, d, max);
        float total = LaneSum.Horizontal(lanes[0] + lanes[8], lanes[1] + lanes[9], lanes[2] + lanes[10], lanes[3] + lanes[11],
            lanes[4] + lanes[12], lanes[5] + lanes[13], lanes[6] + lanes[14], lanes[7] + lanes[15]);
        for (; k < keys; k++) total += Accumulate(a, q, acc, kvBase, k, d, max);
        float inv = 1f / total;

        long oBase = batch * a.OBatchStride + (long)query * a.OStride + head * d;
        for (int c = 0; c < d; c++) a.O[oBase + c] = acc[c] * inv;
    }

    /// <summary><c>e = exp(fma(s_j, scale, −max))</c>; <c>acc += e·v_j</c> by FMA; returns e.</summary>
    private static float Accumulate(AttentionArgs a, ArrayView<float> q, ArrayView<float> acc, long kvBase, int j, int d, float max)
    {
        float e = DeviceMath.Exp(Fma(Score(a, q, kvBase, j, d), a.Scale, -max));
        long row = kvBase + (long)j * a.KVStride;
        for (int c = 0; c < d; c++) acc[c] = Fma(e, a.V[row + c], acc[c]);
        return e;
    }

    /// <summary>Score of key <paramref name="j"/>: <c>Σ_c q_c·k_c</c> by FMA in channel order from 0.</summary>
    private static float Score(AttentionArgs a, ArrayView<float> q, long kvBase, int j, int d)
    {
        long row = kvBase + (long)j * a.KVStride;
        float s = 0f;
        for (int c = 0; c < d; c++) s = Fma(q[c], a.K[row + c], s);
        return s;
    }
}
