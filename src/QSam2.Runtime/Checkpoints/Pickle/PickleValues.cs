namespace QSam2.Runtime.Checkpoints.Pickle;

// The few Python values a state-dict pickle can build. Strings, longs, doubles, bools,
// byte[] and null are represented by their .NET counterparts.

/// <summary>A module-level name pushed by GLOBAL / STACK_GLOBAL, already checked against the allow-list.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python tuple.</summary>
internal sealed class PyTuple(object?[] items)
{
    public object?[] Items { get; } = items;
}

/// <summary>A Python list.</summary>
internal sealed class PyList
{
    public List<object?> Items { get; } = new();
}

/// <summary>A Python dict or OrderedDict: insertion-ordered, a re-assigned key keeps its position (as in Python).</summary>
internal sealed class PyDict
{
    private readonly List<KeyValuePair<object, object?>> _items = new();
    private readonly Dictionary<object, int> _index = new();

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    /// <returns>False when <paramref name="key"/> is not a hashable scalar this reader supports.</returns>
    public bool TrySet(object? key, object? value)
    {
        if (key is not (string or long or bool or double)) return false;
        if (_index.TryGetValue(key, out var i)) _items[i] = new KeyValuePair<object, object?>(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new KeyValuePair<object, object?>(key, value));
        }
        return true;
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out var i)) { value = _items[i].Value; return true; }
        value = null;
        return false;
    }
}

/// <summary>
/// A storage named by a persistent id <c>("storage", torch.FloatStorage, key, location, numel)</c>:
/// the bytes live in the zip entry <c>&lt;root&gt;/data/&lt;key&gt;</c>.
/// </summary>
internal sealed record StorageRef(string Key, string StorageType, string Location, long ElementCount);

/// <summary>A tensor rebuilt by <c>torch._utils._rebuild_tensor_v2</c>: a strided view of a storage.</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);
