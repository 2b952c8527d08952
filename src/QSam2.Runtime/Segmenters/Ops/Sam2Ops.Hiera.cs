using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Segmenters;

// Hiera trunk glue (sam2-architecture.md §4.3): windowing, q-pooled windowed attention, pooling; all channels-last.
public static partial class Sam2Ops
{
    /// <summary>
    /// Cuts a channels-last <c>[H, W, C]</c> map into windows of <paramref name="window"/>², zero-padding bottom/right
    /// to multiples of the window; windows in row-major order over the window grid, tokens row-major inside.
    /// </summary>
    public static void WindowPartition(SegmenterArena a, long input, int height, int width, int channels, int window, long output)
    {
        int hp = (height + window - 1) / window * window, wp = (width + window - 1) / window * window;
        int gw = wp / window;
        var src = a.F(input, height * width * channels);
        var dst = a.F(output, hp * wp * channels);
        for (int y = 0; y < hp; y++)
        {
            for (int x0 = 0; x0 < wp; x0 += window)
            {
                int win = (y / window) * gw + x0 / window;
                int t = (y % window) * window;
                var to = dst.Slice((win * window * window + t) * channels, window * channels);
                if (y >= height)
                {
                    to.Clear();
                    continue;
                }
                int valid = Math.Max(0, Math.Min(window, width - x0));
                src.Slice((y * width + x0) * channels, valid * channels).CopyTo(to);
                to.Slice(valid * channels).Clear();
            }
        }
    }

    /// <summary>
    /// Reassembles windows of <paramref name="window"/>² tokens into the <c>[H, W, C]</c> map (dropping the padding)
    /// and adds the block's shortcut: <c>output = unpartition(input) + residual</c>.
    /// </summary>
    public static void WindowUnpartitionAdd(SegmenterArena a, long input, int window, int height, int width, int channels, long residual, long output)
    {
        int wp = (width + window - 1) / window * window;
        int hp = (height + window - 1) / window * window;
        int gw = wp / window;
        var src = a.F(input, hp * wp * channels);
        var res = a.F(residual, height * width * channels);
        var dst = a.F(output, height * width * channels);
        for (int y = 0; y < height; y++)
        {
            for (int x0 = 0; x0 < width; x0 += window)
            {
                int win = (y / window) * gw + x0 / window;
                int t = (y % window) * window;
                int n = Math.Min(window, width - x0) * channels;
                int at = (y * width + x0) * channels;
                VectorOps.Add(src.Slice((win * window * window + t) * channels, n), res.Slice(at, n), dst.Slice(at, n));
            }
        }
    }

    /// <summary>Max-pool 2×2 stride 2 (floor) of a channels-last <c>[H, W, C]</c> map.</summary>
    public static void MaxPool2x2(SegmenterArena a, long input, int height, int width, int channels, long output)
    {
        int oh = height / 2, ow = width / 2;
        var src = a.F(input, height * width * channels);
        var dst = a.F(output, oh * ow * channels);
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                var to = dst.Slice((y * ow + x) * channels, channels);
                src.Slice(((2 * y) * width + 2 * x) * channels, channels).CopyTo(to);
                VectorOps.Max(src.Slice(((2 * y) * width + 2 * x + 1) * channels, channels), to);
                VectorOps.Max(src.Slice(((2 * y + 1) * width + 2 * x) * channels, channels), to);
                VectorOps.Max(src.Slice(((2 * y + 1) * width + 2 * x + 1) * channels, channels), to);
            }
        }
    }

    /// <summary>
    /// Hiera multi-scale attention on <paramref name="windows"/> windows of <paramref name="height"/>×<paramref name="width"/>
    /// tokens (a global block is one window of the whole map). <paramref name="qkv"/> holds per token [q | k | v], each
    /// heads·headDim wide; with <paramref name="qStride"/> 2 the queries are max-pooled 2×2 inside each window first.
    /// Output: per window the (pooled) query tokens × heads·headDim. Windows run in parallel on up to
    /// <paramref name="workers"/> threads; the scratch holds one slot per worker of pooled queries (q-pool only,
    /// 64-byte aligned) + <see cref="AttentionCore.ScratchFloats"/> floats.
    /// </summary>
    public static void HieraAttention(SegmenterArena a, long qkv, int windows, int height, int width, int heads, int headDim, int qStride,
        long output, int workers, long scratch, long scratchBytes)
    {
        int c = heads * headDim, l = height * width;
        int qh = height / qStride, qw = width / qStride, lq = qh * qw;
        float scale = 1f / MathF.Sqrt(headDim);
        long pooledBytes = qStride > 1 ? (4L * lq * c + 63) / 64 * 64 : 0;
        int attnFloats = (int)AttentionCore.ScratchFloats(lq, l, headDim);
        int threads = Math.Min(Sam2Threads.Max, Environment.ProcessorCount);
        if (windows < threads && lq > AttentionCore.QueryBlock / threads)
        {
            // Fewer windows than threads (the global blocks are one window): parallel inside each window instead.
            long slot0 = workers <= 1 ? scratchBytes : scratchBytes / workers / 64 * 64;
            if (pooledBytes + 4L * attnFloats > slot0)
                throw new InvalidOperationException($"HieraAttention: scratch slot of {slot0} bytes, needs {pooledBytes + 4L * attnFloats}");
            HieraAttentionRowParallel(a, qkv, windows, height, width, heads, headDim, qStride, output, scratch, pooledBytes, attnFloats, threads);
            return;
        }
        TileRunner.Indexed(windows, workers, workers, scratch, scratchBytes, (win, slot, slotBytes) =>
        {
            if (pooledBytes + 4L * attnFloats > slotBytes)
                throw new InvalidOperationException($"HieraAttention: scratch slot of {slotBytes} bytes, needs {pooledBytes + 4L * attnFloats}");
            var attnScratch = a.F(slot + pooledBytes, attnFloats);
            var block = a.F(qkv + 4L * win * l * 3 * c, l * 3 * c);
            ReadOnlySpan<float> q = block;
            int ldq = 3 * c;
            if (qStride > 1)
            {
                PoolQueries(block, a.F(slot, lq * c), height, width, qStride, c);
                q = a.F(slot, lq * c);
                ldq = c;
            }
            var o = a.F(output + 4L * win * lq * c, lq * c);
            AttentionCore.Attention(q, ldq, block.Slice(c), 3 * c, block.Slice(2 * c), 3 * c, o, c, lq, l, heads, headDim, scale, attnScratch);
        });
    }

    /// <summary>
    /// One window at a time in the first scratch slot: per head, K and V are packed once, then the query rows are cut
    /// into blocks that run on up to <paramref name="threads"/> threads, each with its own share of the score block
    /// (the slot's <see cref="AttentionCore.QueryBlock"/>·L score floats split <paramref name="threads"/> ways), so a
    /// 4096-token global block uses every core the generator planned only one window slot for.
    /// </summary>
    private static void HieraAttentionRowParallel(SegmenterArena a, long qkv, int windows, int height, int width, int heads, int headDim,
        int qStride, long output, long scratch, long pooledBytes, int attnFloats, int threads)
    {
        int c = heads * headDim, l = height * width;
        int qh = height / qStride, qw = width / qStride, lq = qh * qw;
        float scale = 1f / MathF.Sqrt(headDim);
        int kLen = AttentionCore.PackedKeyFloats(l, headDim), vLen = AttentionCore.PackedValueFloats(l, headDim);
        long packedK = scratch + pooledBytes, packedV = packedK + 4L * kLen, scores = packedV + 4L * vLen;
        long scoreBytes = 4L * (attnFloats - kLen - vLen);
        // Rows per block: the score block split per thread, a multiple of the 6-row GEMM tile when there is room.
        int rows = AttentionCore.QueryBlock / threads;
        if (rows >= 6) rows = rows / 6 * 6;
        int blocks = (lq + rows - 1) / rows;
        for (int win = 0; win < windows; win++)
        {
            long block = qkv + 4L * win * l * 3 * c;
            long q = block;
            int ldq = 3 * c;
            if (qStride > 1)
            {
                PoolQueries(a.F(block, l * 3 * c), a.F(scratch, lq * c), height, width, qStride, c);
                q = scratch;
                ldq = c;
            }
            long o = output + 4L * win * lq * c;
            for (int h = 0; h < heads; h++)
            {
                var kv = a.F(block, l * 3 * c);
                AttentionCore.PackHead(kv.Slice(c), 3 * c, kv.Slice(2 * c), 3 * c, l, headDim, h, a.F(packedK, kLen), a.F(packedV, vLen));
                int head = h;
                TileRunner.Indexed(blocks, threads, threads, scores, scoreBytes, (b, slot, slotBytes) =>
                {
                    int q0 = b * rows, m = Math.Min(rows, lq - q0);
                    if (4L * m * l > slotBytes) throw new InvalidOperationException($"HieraAttention: score slot of {slotBytes} bytes, needs {4L * m * l}");
                    AttentionCore.AttendRows(a.F(q, (lq - 1) * ldq + c), ldq, a.F(packedK, kLen), a.F(packedV, vLen), a.F(o, lq * c), c,
                        q0, m, l, headDim, head, scale, a.F(slot, (int)(slotBytes / 4)));
                });
            }
        }
    }

    /// <summary>Queries max-pooled <paramref name="qStride"/>² inside one window: [L, 3C] qkv block → [Lq, C].</summary>
    private static void PoolQueries(ReadOnlySpan<float> block, Span<float> pooled, int height, int width, int qStride, int c)
    {
        int qh = height / qStride, qw = width / qStride;
        for (int y = 0; y < qh; y++)
        {
            for (int x = 0; x < qw; x++)
            {
                var to = pooled.Slice((y * qw + x) * c, c);
                block.Slice(((qStride * y) * width + qStride * x) * 3 * c, c).CopyTo(to);
                for (int dy = 0; dy < qStride; dy++)
                    for (int dx = 0; dx < qStride; dx++)
                        VectorOps.Max(block.Slice(((qStride * y + dy) * width + qStride * x + dx) * 3 * c, c), to);
            }
        }
    }

    /// <summary>FPN top-down: <c>fine[y, x] += coarse[y / 2, x / 2]</c> for the 2H×2W fine map (channels-last).</summary>
    public static void NearestUp2Add(SegmenterArena a, long coarse, int height, int width, int channels, long fine)
    {
        var src = a.F(coarse, height * width * channels);
        var dst = a.F(fine, 4 * height * width * channels);
        int fw = 2 * width;
        for (int y = 0; y < 2 * height; y++)
        {
            for (int x = 0; x < fw; x++)
            {
                var to = dst.Slice((y * fw + x) * channels, channels);
                VectorOps.Add(to, src.Slice(((y / 2) * width + x / 2) * channels, channels), to);
            }
        }
    }
}
