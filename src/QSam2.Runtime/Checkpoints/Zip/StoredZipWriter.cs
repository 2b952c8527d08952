using System.Buffers.Binary;
using System.Text;

namespace QSam2.Runtime.Checkpoints.Zip;

/// <summary>
/// Writes an uncompressed (stored) zip the way PyTorch's <c>PyTorchStreamWriter</c> does: every
/// entry's data starts on a 64-byte boundary, padded through an "FB" extra field in the local header,
/// so readers can map tensors straight from the file. Zip64 records are added when offsets pass 4 GiB.
/// </summary>
/// <remarks>
/// Hand-written because <see cref="System.IO.Compression.ZipArchive"/> cannot align entry data.
/// </remarks>
internal sealed class StoredZipWriter
{
    public const int Alignment = 64;
    private const ushort PaddingFieldId = 0x4246; // "FB", the id torch uses
    private const ushort Zip64FieldId = 0x0001;
    private const ushort DosDate1980 = 0x0021; // 1980-01-01: fixed, so equal inputs give equal files

    private readonly Stream _out;
    private readonly bool _forceZip64;
    private readonly List<(byte[] Name, uint Crc, long Size, long Offset)> _entries = new();
    private long _position;

    /// <param name="forceZip64">Write zip64 records even for small archives (lets tests exercise that path).</param>
    public StoredZipWriter(Stream output, bool forceZip64 = false)
    {
        _out = output;
        _forceZip64 = forceZip64;
    }

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        // A span is shorter than 2 GiB, so 32-bit sizes always suffice; only offsets can need zip64.
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long offset = _position;
        uint crc = Crc32.Compute(data);

        long dataStart = offset + 30 + nameBytes.Length + 4; // the padding field header is always present
        int pad = (int)((Alignment - dataStart % Alignment) % Alignment);

        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20); // version needed: 2.0
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], Flags(name));
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0); // stored
        BinaryPrimitives.WriteUInt16LittleEndian(h[10..], 0); // time 00:00
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], DosDate1980);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(4 + pad));
        Write(h);
        Write(nameBytes);
        Span<byte> field = stackalloc byte[4 + Alignment];
        BinaryPrimitives.WriteUInt16LittleEndian(field, PaddingFieldId);
        BinaryPrimitives.WriteUInt16LittleEndian(field[2..], (ushort)pad);
        field[4..(4 + pad)].Fill((byte)'Z');
        Write(field[..(4 + pad)]);
        Write(data);
        _entries.Add((nameBytes, crc, data.Length, offset));
    }

    /// <summary>Writes the central directory and end records. The stream is left open.</summary>
    public void Finish()
    {
        long cdOffset = _position;
        Span<byte> h = stackalloc byte[46];
        Span<byte> x = stackalloc byte[12];
        foreach (var (name, crc, size, offset) in _entries)
        {
            bool offset64 = _forceZip64 || offset >= uint.MaxValue;
            h.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(h, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(h[4..], (ushort)(offset64 ? 45 : 20)); // made by (MS-DOS, spec version)
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)(offset64 ? 45 : 20)); // needed
            BinaryPrimitives.WriteUInt16LittleEndian(h[8..], Flags(Encoding.UTF8.GetString(name)));
            BinaryPrimitives.WriteUInt16LittleEndian(h[10..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(h[12..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(h[14..], DosDate1980);
            BinaryPrimitives.WriteUInt32LittleEndian(h[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[24..], (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(h[30..], (ushort)(offset64 ? 12 : 0));
            // comment length, disk number, internal and external attributes: 0
            BinaryPrimitives.WriteUInt32LittleEndian(h[42..], offset64 ? uint.MaxValue : (uint)offset);
            Write(h);
            Write(name);
            if (offset64)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(x, Zip64FieldId);
                BinaryPrimitives.WriteUInt16LittleEndian(x[2..], 8);
                BinaryPrimitives.WriteUInt64LittleEndian(x[4..], (ulong)offset);
                Write(x);
            }
        }
        long cdSize = _position - cdOffset;
        bool zip64 = _forceZip64 || _entries.Count >= ushort.MaxValue || cdOffset >= uint.MaxValue || cdSize >= uint.MaxValue;
        if (zip64)
        {
            long recordOffset = _position;
            Span<byte> r = stackalloc byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(r, 0x06064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(r[4..], 44); // size of the rest of the record
            BinaryPrimitives.WriteUInt16LittleEndian(r[12..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(r[14..], 45);
            // disk numbers (4 + 4 bytes): 0
            BinaryPrimitives.WriteUInt64LittleEndian(r[24..], (ulong)_entries.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(r[32..], (ulong)_entries.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(r[40..], (ulong)cdSize);
            BinaryPrimitives.WriteUInt64LittleEndian(r[48..], (ulong)cdOffset);
            Write(r);
            Span<byte> l = stackalloc byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(l, 0x07064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(l[8..], (ulong)recordOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(l[16..], 1); // total disks
            Write(l);
        }
        Span<byte> e = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(e, 0x06054b50);
        ushort count = zip64 ? ushort.MaxValue : (ushort)_entries.Count;
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], count);
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], zip64 ? uint.MaxValue : (uint)cdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], zip64 ? uint.MaxValue : (uint)cdOffset);
        Write(e);
    }

    /// <summary>Bit 11 marks UTF-8 names; plain ASCII names (all torch ever writes) leave it clear.</summary>
    private static ushort Flags(string name) => (ushort)(Ascii.IsValid(name) ? 0 : 0x0800);

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        _position += bytes.Length;
    }
}
