using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// An ordered name → tensor map: the model weights of a checkpoint, in file order
/// (the order <c>module.state_dict()</c> produced them, which writers keep).
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, TensorData>
{
    private readonly List<KeyValuePair<string, TensorData>> _items;
    private readonly Dictionary<string, int> _index;

    /// <exception cref="ArgumentException">A key appears twice or is empty.</exception>
    public StateDict(IEnumerable<KeyValuePair<string, TensorData>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = new List<KeyValuePair<string, TensorData>>();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException($"state dict key at position {_items.Count} is empty", nameof(items));
            ArgumentNullException.ThrowIfNull(value, key);
            if (!_index.TryAdd(key, _items.Count)) throw new ArgumentException($"state dict key '{key}' appears twice", nameof(items));
            _items.Add(new KeyValuePair<string, TensorData>(key, value));
            TotalElements += value.ElementCount;
        }
    }

    public StateDict(IEnumerable<(string Key, TensorData Tensor)> items)
        : this((items ?? throw new ArgumentNullException(nameof(items))).Select(t => new KeyValuePair<string, TensorData>(t.Key, t.Tensor))) { }

    /// <summary>Sum of the element counts of all tensors (parameters plus buffers).</summary>
    public long TotalElements { get; }

    public int Count => _items.Count;

    public TensorData this[string key] =>
        _index.TryGetValue(key, out var i) ? _items[i].Value : throw new KeyNotFoundException($"state dict has no key '{key}'");

    /// <summary>Keys in file order.</summary>
    public IEnumerable<string> Keys => _items.Select(p => p.Key);

    public IEnumerable<TensorData> Values => _items.Select(p => p.Value);

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TensorData value)
    {
        if (_index.TryGetValue(key, out var i)) { value = _items[i].Value; return true; }
        value = null;
        return false;
    }

    /// <summary>Position of <paramref name="key"/> in file order, or -1.</summary>
    public int IndexOf(string key) => _index.TryGetValue(key, out var i) ? i : -1;

    /// <summary>Entry at a file-order position.</summary>
    public KeyValuePair<string, TensorData> At(int index) => _items[index];

    public IEnumerator<KeyValuePair<string, TensorData>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
