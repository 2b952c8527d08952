using System.Collections.Concurrent;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// Runs the row tiles of one layer, in parallel on up to <c>workers</c> threads when the generator planned that many
/// scratch slots (slot <c>s</c> of a layer's scratch region starts at <c>scratch + s·slotBytes</c>). Tiles write
/// disjoint output rows, so the result does not depend on the schedule. Layers with an observer or a float
/// simulation run sequentially (observers need not be thread-safe).
/// </summary>
internal static class TileRunner
{
    public delegate void TileBody(int r0, int m, long slotScratch, long slotBytes);

    public static void Run(LinearLayer layer, int rows, int rowTile, int workers, long scratch, long scratchBytes, TileBody body)
    {
        if (rowTile <= 0) throw new ArgumentOutOfRangeException(nameof(rowTile), rowTile, $"{layer.Name}: row tile must be positive");
        int tiles = (rows + rowTile - 1) / rowTile;
        bool sequentialOnly = layer.Observer != null || layer.SimulatedInputQuant != null;
        Indexed(tiles, sequentialOnly ? 1 : workers, workers, scratch, scratchBytes,
            (t, slot, slotBytes) => body(t * rowTile, Math.Min(rowTile, rows - t * rowTile), slot, slotBytes));
    }

    /// <summary>
    /// Runs <paramref name="body"/> for items 0..count−1 on up to <paramref name="maxParallel"/> threads; the scratch
    /// region holds <paramref name="slots"/> equal slots and each running item owns one.
    /// </summary>
    public static void Indexed(int count, int maxParallel, int slots, long scratch, long scratchBytes, Action<int, long, long> body)
    {
        slots = Math.Max(1, slots);
        long slotBytes = slots == 1 ? scratchBytes : scratchBytes / slots / 64 * 64;
        int parallel = Math.Min(Math.Min(Math.Max(1, maxParallel), slots), Math.Min(count, Sam2Threads.Max));
        if (parallel <= 1)
        {
            for (int i = 0; i < count; i++) body(i, scratch, slotBytes);
            return;
        }
        var free = new ConcurrentBag<int>(Enumerable.Range(0, parallel));
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            () => free.TryTake(out int s) ? s : throw new InvalidOperationException("no free scratch slot"),
            (i, _, slot) =>
            {
                body(i, scratch < 0 ? -1 : scratch + slot * slotBytes, slotBytes);
                return slot;
            },
            slot => free.Add(slot));
    }
}
