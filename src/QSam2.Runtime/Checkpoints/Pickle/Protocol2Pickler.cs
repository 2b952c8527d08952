using System.Buffers.Binary;
using System.Text;

namespace QSam2.Runtime.Checkpoints.Pickle;

/// <summary>
/// Low-level protocol-2 pickle emitter with Python's encoding choices (ints as BININT1/BININT2/
/// BININT/LONG1, strings as BINUNICODE, memo slots numbered in write order via BINPUT/LONG_BINPUT),
/// so callers can reproduce <c>pickle.Pickler(protocol=2)</c> output byte for byte.
/// </summary>
internal sealed class Protocol2Pickler
{
    private readonly MemoryStream _out = new();
    private int _memoCount;

    public Protocol2Pickler() => Op(PickleOpcodes.Proto, 2);

    public void Op(byte opcode) => _out.WriteByte(opcode);

    private void Op(byte opcode, byte arg)
    {
        _out.WriteByte(opcode);
        _out.WriteByte(arg);
    }

    /// <summary>Memoizes the value on top of the stack; returns its memo index for later <see cref="Get"/>.</summary>
    public int Put()
    {
        int index = _memoCount++;
        if (index < 256) Op(PickleOpcodes.BinPut, (byte)index);
        else
        {
            Op(PickleOpcodes.LongBinPut);
            WriteUInt32((uint)index);
        }
        return index;
    }

    public void Get(int index)
    {
        if (index < 256) Op(PickleOpcodes.BinGet, (byte)index);
        else
        {
            Op(PickleOpcodes.LongBinGet);
            WriteUInt32((uint)index);
        }
    }

    public void Unicode(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Op(PickleOpcodes.BinUnicode);
        WriteUInt32((uint)bytes.Length);
        _out.Write(bytes);
    }

    public void Int(long v)
    {
        if (v is >= 0 and <= 0xff) Op(PickleOpcodes.BinInt1, (byte)v);
        else if (v is >= 0 and <= 0xffff)
        {
            Op(PickleOpcodes.BinInt2);
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v);
            _out.Write(b);
        }
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            Op(PickleOpcodes.BinInt);
            WriteUInt32((uint)(int)v);
        }
        else
        {
            // LONG1: shortest two's complement little-endian (Python's encode_long)
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            int n = 8;
            while (n > 1 && ((b[n - 1] == 0 && (b[n - 2] & 0x80) == 0) || (b[n - 1] == 0xff && (b[n - 2] & 0x80) != 0))) n--;
            Op(PickleOpcodes.Long1, (byte)n);
            _out.Write(b[..n]);
        }
    }

    public void Bool(bool v) => Op(v ? PickleOpcodes.NewTrue : PickleOpcodes.NewFalse);

    /// <summary>GLOBAL <c>module\nname\n</c> (protocol 2 has no STACK_GLOBAL).</summary>
    public void Global(string module, string name)
    {
        Op(PickleOpcodes.Global);
        _out.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
    }

    /// <summary>A tuple of ints, encoded as Python does: EMPTY_TUPLE (not memoized), TUPLE1–3, or MARK … TUPLE; then memoized.</summary>
    public void IntTuple(ReadOnlySpan<long> items)
    {
        if (items.Length == 0) { Op(PickleOpcodes.EmptyTuple); return; }
        if (items.Length > 3) Op(PickleOpcodes.Mark);
        foreach (var v in items) Int(v);
        Op(items.Length switch { 1 => PickleOpcodes.Tuple1, 2 => PickleOpcodes.Tuple2, 3 => PickleOpcodes.Tuple3, _ => PickleOpcodes.Tuple });
        Put();
    }

    public byte[] Finish()
    {
        Op(PickleOpcodes.Stop);
        return _out.ToArray();
    }

    private void WriteUInt32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _out.Write(b);
    }
}
