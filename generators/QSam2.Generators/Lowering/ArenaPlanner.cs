namespace QSam2.Generators.Lowering;

/// <summary>
/// Places every activation buffer at a byte offset in one arena so that buffers alive at the same step never
/// overlap: greedy by size (largest first, each at the lowest 64-byte-aligned offset free during its lifetime),
/// the strategy TFLite's arena planner uses. Persistent buffers (the cached image features) live to the end.
/// The arena is allocated once at load; inference allocates nothing.
/// </summary>
internal static class ArenaPlanner
{
    /// <summary>Assigns <see cref="Buffer.Offset"/> for all buffers and returns the arena size in bytes.</summary>
    public static long Plan(IReadOnlyList<Buffer> buffers, int stepCount)
    {
        foreach (var b in buffers)
        {
            if (b.Persistent) b.Last = stepCount;
        }
        var placed = new List<Buffer>();
        long total = 0;
        var order = buffers.OrderByDescending(b => b.Bytes).ThenBy(b => b.First).ThenBy(b => b.Id).ToList();
        foreach (var b in order)
        {
            // Candidate offsets: 0 and the end of every placed buffer whose lifetime overlaps this one.
            var overlapping = placed.Where(p => p.First <= b.Last && b.First <= p.Last).OrderBy(p => p.Offset).ToList();
            long offset = 0;
            foreach (var p in overlapping)
            {
                if (offset + b.Bytes <= p.Offset) break;
                offset = Math.Max(offset, p.Offset + p.Bytes);
            }
            b.Offset = offset;
            placed.Add(b);
            total = Math.Max(total, offset + b.Bytes);
        }
        return total;
    }

    /// <summary>True when no two buffers that are alive at a common step share bytes (checked by tests and at lowering).</summary>
    public static bool IsValid(IReadOnlyList<Buffer> buffers)
    {
        for (int i = 0; i < buffers.Count; i++)
        {
            for (int j = i + 1; j < buffers.Count; j++)
            {
                var a = buffers[i];
                var b = buffers[j];
                bool timeOverlap = a.First <= b.Last && b.First <= a.Last;
                bool spaceOverlap = a.Offset < b.Offset + b.Bytes && b.Offset < a.Offset + a.Bytes;
                if (timeOverlap && spaceOverlap && a.Bytes > 0 && b.Bytes > 0) return false;
            }
        }
        return true;
    }
}
