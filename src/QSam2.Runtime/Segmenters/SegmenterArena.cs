using System.Runtime.InteropServices;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The one activation buffer of a generated segmenter: allocated once at load with the size the generator planned
/// (every buffer of the image and prompt paths at a compile-time byte offset), 64-byte aligned, never resized.
/// Inference allocates nothing. Typed views are spans at byte offsets.
/// </summary>
public sealed class SegmenterArena
{
    private readonly byte[] _storage;
    private readonly int _base;

    public SegmenterArena(long bytes)
    {
        if (bytes < 0 || bytes > int.MaxValue - 64) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "arena size must be in [0, 2 GiB)");
        // Pinned so the aligned base offset stays valid; 64 extra bytes to align the start of the arena.
        _storage = GC.AllocateUninitializedArray<byte>((int)bytes + 64, pinned: true);
        unsafe
        {
            fixed (byte* p = _storage)
            {
                long misalign = (long)p & 63;
                _base = misalign == 0 ? 0 : (int)(64 - misalign);
            }
        }
        Length = bytes;
    }

    public long Length { get; }

    /// <summary>Floats starting at byte <paramref name="offset"/>.</summary>
    public Span<float> F(long offset, int count)
    {
        Check(offset, 4L * count);
        return MemoryMarshal.Cast<byte, float>(_storage.AsSpan(_base + (int)offset, 4 * count));
    }

    /// <summary>Bytes starting at byte <paramref name="offset"/>.</summary>
    public Span<byte> B(long offset, int count)
    {
        Check(offset, count);
        return _storage.AsSpan(_base + (int)offset, count);
    }

    private void Check(long offset, long bytes)
    {
        if (offset < 0 || bytes < 0 || offset + bytes > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"arena view [{offset}, {offset + bytes}) outside the {Length}-byte arena");
    }
}
