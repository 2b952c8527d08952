namespace QSam2.Runtime.Checkpoints.Pickle;

/// <summary>
/// Builds the <c>data.pkl</c> that <c>torch.save({"model": state_dict})</c> writes (torch 1.13,
/// protocol 2), opcode for opcode and memo slot for memo slot, minus the <c>_metadata</c> module
/// versions that only <c>nn.Module.state_dict()</c> attaches:
/// <code>
/// {"model": OrderedDict(name → _rebuild_tensor_v2(
///     persistent_id("storage", torch.FloatStorage, "&lt;i&gt;", "cpu", numel), 0, size, stride, False, OrderedDict()))}
/// </code>
/// Tensor <c>i</c> (file order) owns storage key <c>i</c>.
/// </summary>
internal static class StateDictPickle
{
    /// <summary>Python's <c>Pickler._BATCHSIZE</c>: dict items are written in SETITEMS groups of this many.</summary>
    private const int BatchSize = 1000;

    public static byte[] Build(StateDict sd)
    {
        var p = new Protocol2Pickler();
        p.Op(PickleOpcodes.EmptyDict);
        p.Put();
        p.Unicode("model");
        p.Put();
        p.Global("collections", "OrderedDict");
        int orderedDict = p.Put();
        p.Op(PickleOpcodes.EmptyTuple);
        p.Op(PickleOpcodes.Reduce);
        p.Put();

        // Objects Python pickles once and then refers to by memo (same object each time).
        int? rebuild = null, storageTag = null, floatStorage = null, cpu = null;

        for (int start = 0; start < sd.Count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, sd.Count - start);
            if (n > 1) p.Op(PickleOpcodes.Mark);
            for (int i = start; i < start + n; i++)
            {
                var (name, tensor) = sd.At(i);
                p.Unicode(name);
                p.Put();
                Memoized(p, ref rebuild, () => p.Global("torch._utils", "_rebuild_tensor_v2"));
                p.Op(PickleOpcodes.Mark);

                p.Op(PickleOpcodes.Mark); // persistent id tuple
                Memoized(p, ref storageTag, () => p.Unicode("storage"));
                Memoized(p, ref floatStorage, () => p.Global("torch", "FloatStorage"));
                p.Unicode(StorageKey(i));
                p.Put();
                Memoized(p, ref cpu, () => p.Unicode("cpu"));
                p.Int(tensor.ElementCount);
                p.Op(PickleOpcodes.Tuple);
                p.Put();
                p.Op(PickleOpcodes.BinPersId);

                p.Int(0); // storage offset
                var shape = tensor.LongShape;
                p.IntTuple(shape);
                p.IntTuple(ContiguousStrides(shape));
                p.Bool(false); // requires_grad
                p.Get(orderedDict); // backward hooks: OrderedDict()
                p.Op(PickleOpcodes.EmptyTuple);
                p.Op(PickleOpcodes.Reduce);
                p.Put();
                p.Op(PickleOpcodes.Tuple);
                p.Put();
                p.Op(PickleOpcodes.Reduce);
                p.Put();
            }
            p.Op(n > 1 ? PickleOpcodes.SetItems : PickleOpcodes.SetItem);
        }
        p.Op(PickleOpcodes.SetItem); // top-level dict["model"] = the OrderedDict
        return p.Finish();
    }

    /// <summary>torch.save numbers storages by first appearance: "0", "1", ….</summary>
    public static string StorageKey(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static long[] ContiguousStrides(ReadOnlySpan<long> shape)
    {
        var stride = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            stride[i] = s;
            s *= Math.Max(shape[i], 1); // torch gives size-0 dimensions the strides of size 1
        }
        return stride;
    }

    private static void Memoized(Protocol2Pickler p, ref int? slot, Action write)
    {
        if (slot is int index) { p.Get(index); return; }
        write();
        slot = p.Put();
    }
}
