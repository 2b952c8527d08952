using System.Buffers.Binary;
using System.Text;

namespace QSam2.Runtime.Checkpoints.Pickle;

/// <summary>
/// A pickle reader for the state-dict subset of the format: it builds plain values, dicts and
/// <see cref="TensorRef"/>s, resolves persistent ids to <see cref="StorageRef"/>s, and refuses
/// every global outside <see cref="PickleAllowList"/> and every opcode torch.save does not emit.
/// Nothing in the file is ever executed.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private readonly byte[] _data;
    private readonly string _path;
    private readonly string _entry;
    private readonly List<object?> _stack = new();
    private readonly List<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private int _pos;
    private int _opStart;

    private RestrictedUnpickler(byte[] data, string path, string entry)
    {
        _data = data;
        _path = path;
        _entry = entry;
    }

    /// <summary>Unpickles <paramref name="data"/> (the contents of zip entry <paramref name="entry"/> of <paramref name="path"/>).</summary>
    /// <exception cref="CheckpointFormatException">Truncated, malformed, or not weights-only.</exception>
    public static object? Load(byte[] data, string path, string entry) => new RestrictedUnpickler(data, path, entry).Run();

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Fail($"ends at byte offset {_pos} without a STOP opcode (truncated?)");
            _opStart = _pos;
            byte op = _data[_pos++];
            switch (op)
            {
                case PickleOpcodes.Proto:
                    var proto = ReadByte();
                    if (proto > 5) throw Fail($"pickle protocol {proto} at byte offset {_opStart} is newer than 5");
                    break;
                case PickleOpcodes.Frame: ReadBytes(8); break; // frames only group opcodes; the stream stays linear
                case PickleOpcodes.Stop:
                    if (_marks.Count != 0 || _stack.Count != 1) throw Fail($"STOP at byte offset {_opStart} with {_stack.Count} values and {_marks.Count} open marks on the stack");
                    return _stack[0];
                case PickleOpcodes.Mark: _marks.Add(_stack.Count); break;
                case PickleOpcodes.Pop:
                    if (_stack.Count > 0 && _marks.Count > 0 && _marks[^1] == _stack.Count) PopMarkItems(); else Pop();
                    break;
                case PickleOpcodes.PopMark: PopMarkItems(); break;
                case PickleOpcodes.Dup: Push(Peek()); break;
                case PickleOpcodes.None: Push(null); break;
                case PickleOpcodes.NewTrue: Push(true); break;
                case PickleOpcodes.NewFalse: Push(false); break;
                case PickleOpcodes.BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case PickleOpcodes.BinInt1: Push((long)ReadByte()); break;
                case PickleOpcodes.BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case PickleOpcodes.Long1: Push(ReadLong1()); break;
                case PickleOpcodes.BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;
                case PickleOpcodes.BinUnicode: Push(DecodeUtf8(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))))); break;
                case PickleOpcodes.ShortBinUnicode: Push(DecodeUtf8(ReadBytes(ReadByte()))); break;
                case PickleOpcodes.BinUnicode8: Push(DecodeUtf8(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))))); break;
                case PickleOpcodes.ShortBinBytes: Push(ReadBytes(ReadByte()).ToArray()); break;
                case PickleOpcodes.BinBytes: Push(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))).ToArray()); break;
                case PickleOpcodes.BinBytes8: Push(ReadBytes(CheckedLength(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))).ToArray()); break;
                case PickleOpcodes.EmptyTuple: Push(new PyTuple([])); break;
                case PickleOpcodes.Tuple1: Push(new PyTuple([Pop()])); break;
                case PickleOpcodes.Tuple2: { var b = Pop(); var a = Pop(); Push(new PyTuple([a, b])); break; }
                case PickleOpcodes.Tuple3: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PyTuple([a, b, c])); break; }
                case PickleOpcodes.Tuple: Push(new PyTuple(PopMarkItems())); break;
                case PickleOpcodes.EmptyList: Push(new PyList()); break;
                case PickleOpcodes.List: { var l = new PyList(); l.Items.AddRange(PopMarkItems()); Push(l); break; }
                case PickleOpcodes.Append: { var v = Pop(); ListAt(Peek()).Items.Add(v); break; }
                case PickleOpcodes.Appends: { var items = PopMarkItems(); ListAt(Peek()).Items.AddRange(items); break; }
                case PickleOpcodes.EmptyDict: Push(new PyDict()); break;
                case PickleOpcodes.Dict: { var d = new PyDict(); SetPairs(d, PopMarkItems()); Push(d); break; }
                case PickleOpcodes.SetItem: { var v = Pop(); var k = Pop(); SetPairs(DictAt(Peek()), [k, v]); break; }
                case PickleOpcodes.SetItems: { var items = PopMarkItems(); SetPairs(DictAt(Peek()), items); break; }
                case PickleOpcodes.BinPut: _memo[ReadByte()] = Peek(); break;
                case PickleOpcodes.LongBinPut: _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;
                case PickleOpcodes.Memoize: _memo[_memo.Count] = Peek(); break;
                case PickleOpcodes.BinGet: Push(MemoGet(ReadByte())); break;
                case PickleOpcodes.LongBinGet: Push(MemoGet(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
                case PickleOpcodes.Global: { var module = ReadLine(); var name = ReadLine(); Push(ResolveGlobal(module, name)); break; }
                case PickleOpcodes.StackGlobal:
                {
                    var name = Pop() as string ?? throw Fail($"STACK_GLOBAL at byte offset {_opStart} needs a string name");
                    var module = Pop() as string ?? throw Fail($"STACK_GLOBAL at byte offset {_opStart} needs a string module");
                    Push(ResolveGlobal(module, name));
                    break;
                }
                case PickleOpcodes.BinPersId: Push(PersistentLoad(Pop())); break;
                case PickleOpcodes.Reduce: { var args = Pop(); var callable = Pop(); Push(Call(callable, args)); break; }
                case PickleOpcodes.NewObj: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }
                case PickleOpcodes.Build: { var state = Pop(); Build(Peek(), state); break; }
                default:
                    throw Fail($"unexpected opcode 0x{op:x2} ('{(op is >= 0x20 and < 0x7f ? (char)op : '?')}') at byte offset {_opStart}; a state-dict pickle from torch.save never contains it");
            }
        }
    }

    private object? ResolveGlobal(string module, string name)
    {
        if (!PickleAllowList.IsAllowed(module, name))
            throw Fail($"refers to global '{module}.{name}' at byte offset {_opStart}; only state-dict globals are allowed (weights-only loading never executes code)");
        return new PyGlobal(module, name);
    }

    private StorageRef PersistentLoad(object? pid)
    {
        // torch.save: ("storage", torch.FloatStorage, key, location, numel)
        if (pid is PyTuple { Items: ["storage", PyGlobal type, string key, string location, long numel] }
            && PickleAllowList.StorageTypes.ContainsKey(type.ToString()) && numel >= 0)
        {
            return new StorageRef(key, type.ToString(), location, numel);
        }
        throw Fail($"BINPERSID at byte offset {_opStart}: persistent id is not ('storage', <torch storage type>, key, location, numel)");
    }

    private object? Call(object? callable, object? args)
    {
        if (callable is not PyGlobal g) throw Fail($"REDUCE at byte offset {_opStart} calls a {Describe(callable)}, not an allowed global");
        if (args is not PyTuple t) throw Fail($"REDUCE at byte offset {_opStart}: arguments of {g} are a {Describe(args)}, not a tuple");
        switch (g.ToString())
        {
            case PickleAllowList.OrderedDict:
                if (t.Items.Length != 0) throw Fail($"REDUCE at byte offset {_opStart}: OrderedDict() with arguments is not supported");
                return new PyDict();
            case PickleAllowList.RebuildTensorV2:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (t.Items is [StorageRef storage, long offset, PyTuple size, PyTuple stride, bool, ..] && t.Items.Length is 6 or 7 && offset >= 0)
                {
                    var sz = Longs(size, "size");
                    var st = Longs(stride, "stride");
                    if (sz.Length != st.Length) throw Fail($"REDUCE at byte offset {_opStart}: tensor size {Show(sz)} and stride {Show(st)} differ in rank");
                    return new TensorRef(storage, offset, sz, st);
                }
                throw Fail($"REDUCE at byte offset {_opStart}: _rebuild_tensor_v2 arguments are not (storage, offset, size, stride, requires_grad, hooks)");
            case PickleAllowList.RebuildParameter:
                // (data, requires_grad, backward_hooks): a Parameter is its data for our purposes
                if (t.Items is [TensorRef data, bool, _]) return data;
                throw Fail($"REDUCE at byte offset {_opStart}: _rebuild_parameter arguments are not (tensor, requires_grad, hooks)");
            default:
                throw Fail($"REDUCE at byte offset {_opStart} calls {g}, which is only allowed as a storage type marker");
        }
    }

    private void Build(object? target, object? state)
    {
        // OrderedDict state carries `_metadata` (module versions); load_state_dict does not need it.
        if (target is PyDict) return;
        throw Fail($"BUILD at byte offset {_opStart} on a {Describe(target)}; only OrderedDict state is supported");
    }

    private long[] Longs(PyTuple t, string what)
    {
        var r = new long[t.Items.Length];
        for (int i = 0; i < r.Length; i++)
        {
            if (t.Items[i] is not long v || v < 0) throw Fail($"REDUCE at byte offset {_opStart}: tensor {what} element {i} is not a non-negative integer");
            r[i] = v;
        }
        return r;
    }

    private void SetPairs(PyDict d, object?[] items)
    {
        if (items.Length % 2 != 0) throw Fail($"opcode at byte offset {_opStart} has an odd number of key/value items");
        for (int i = 0; i < items.Length; i += 2)
            if (!d.TrySet(items[i], items[i + 1])) throw Fail($"dict key of type {Describe(items[i])} at byte offset {_opStart} is not supported");
    }

    private PyDict DictAt(object? o) => o as PyDict ?? throw Fail($"SETITEM(S) at byte offset {_opStart} targets a {Describe(o)}, not a dict");

    private PyList ListAt(object? o) => o as PyList ?? throw Fail($"APPEND(S) at byte offset {_opStart} targets a {Describe(o)}, not a list");

    private object? MemoGet(long index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Fail($"memo entry {index} read at byte offset {_opStart} was never stored");

    private long ReadLong1()
    {
        var n = ReadByte();
        var bytes = ReadBytes(n);
        if (n == 0) return 0;
        if (n > 8) throw Fail($"LONG1 at byte offset {_opStart} has {n} bytes; integers wider than 64 bits are not supported");
        // two's complement little-endian, sign-extended
        long v = (bytes[n - 1] & 0x80) != 0 ? -1L : 0L;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
        return v;
    }

    private string ReadLine()
    {
        int start = _pos;
        int nl = Array.IndexOf(_data, (byte)'\n', start);
        if (nl < 0) throw Truncated();
        _pos = nl + 1;
        return Encoding.ASCII.GetString(_data, start, nl - start);
    }

    private string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail($"string at byte offset {_opStart} is not valid UTF-8"); }
    }

    private int CheckedLength(ulong length) =>
        length <= (ulong)(_data.Length - _pos) ? (int)length : throw Truncated();

    private byte ReadByte() => _pos < _data.Length ? _data[_pos++] : throw Truncated();

    private ReadOnlySpan<byte> ReadBytes(int n)
    {
        if (n > _data.Length - _pos) throw Truncated();
        var span = _data.AsSpan(_pos, n);
        _pos += n;
        return span;
    }

    private void Push(object? v) => _stack.Add(v);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count))
            throw Fail($"stack underflow at byte offset {_opStart} (opcode 0x{_data[_opStart]:x2})");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object? Peek()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count))
            throw Fail($"stack underflow at byte offset {_opStart} (opcode 0x{_data[_opStart]:x2})");
        return _stack[^1];
    }

    private object?[] PopMarkItems()
    {
        if (_marks.Count == 0) throw Fail($"opcode 0x{_data[_opStart]:x2} at byte offset {_opStart} needs a MARK but none is open");
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start).ToArray();
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private static string Describe(object? o) => o switch
    {
        null => "None",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        PyTuple => "tuple",
        PyList => "list",
        PyDict => "dict",
        PyGlobal g => g.ToString(),
        StorageRef => "storage",
        TensorRef => "tensor",
        _ => o.GetType().Name,
    };

    private static string Show(long[] v) => "[" + string.Join(", ", v) + "]";

    private CheckpointFormatException Truncated() =>
        Fail($"is truncated: opcode at byte offset {_opStart} needs more bytes than the {_data.Length} present");

    private CheckpointFormatException Fail(string problem) => new(_path, $"{_entry} {problem}");
}
