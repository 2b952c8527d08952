using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Optional recorder of intermediate activations, passed into forward methods. Names follow the golden-fixture
/// tensor names (e.g. <c>trunk.blocks.3</c>, <c>decoder.transformer.layers.0.queries</c>) so tests compare them
/// directly. Recorded tensors are detached copies owned by the capture; dispose it to free them.
/// </summary>
public sealed class ActivationCapture : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public Tensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no activation named '{name}' was captured");

    /// <summary>Stores a detached copy; a later record under the same name replaces the earlier one.</summary>
    public void Record(string name, Tensor value)
    {
        var copy = value.detach().clone().DetachFromDisposeScope();
        if (_tensors.Remove(name, out var old)) old.Dispose();
        _tensors[name] = copy;
    }

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }
}
