using System.Buffers.Binary;
using System.Text;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand, so tests can craft checkpoints torch would (or would never) write.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _b = new();

    public PickleBuilder Raw(params byte[] bytes) { _b.AddRange(bytes); return this; }
    public PickleBuilder Op(char op) => Raw((byte)op);
    public PickleBuilder Proto(byte v) => Raw(0x80, v);
    public PickleBuilder Global(string module, string name) { Op('c'); _b.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }
    public PickleBuilder Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Op('X');
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, bytes.Length);
        _b.AddRange(len);
        _b.AddRange(bytes);
        return this;
    }
    public PickleBuilder ShortStr(string s) { var bytes = Encoding.UTF8.GetBytes(s); Raw(0x8c, (byte)bytes.Length); _b.AddRange(bytes); return this; }
    public PickleBuilder Int(int v) => v is >= 0 and < 256 ? Raw((byte)'K', (byte)v) : Raw([(byte)'J', .. BitConverter.GetBytes(v)]);
    public PickleBuilder Tuple(params int[] v) { Op('('); foreach (var x in v) Int(x); return Op('t'); }
    public PickleBuilder Mark() => Op('(');

    /// <summary><c>_rebuild_tensor_v2(("storage", storageType, key, "cpu", numel), offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleBuilder Tensor(string key, int numel, int offset, int[] size, int[] stride, string storageType = "FloatStorage")
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(numel).Op('t').Op('Q');
        Int(offset).Tuple(size).Tuple(stride).Raw(0x89);
        Global("collections", "OrderedDict").Op(')').Op('R');
        return Op('t').Op('R');
    }

    public byte[] ToArray() => _b.ToArray();
}
