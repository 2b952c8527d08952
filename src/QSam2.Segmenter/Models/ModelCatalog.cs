namespace QSam2.Segmenter.Models;

/// <summary>The models an app instance can run, by name, with the one used when <c>--model</c> is not given.</summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, SegmenterModel> _byName;

    public ModelCatalog(IReadOnlyList<SegmenterModel> models, string defaultModel)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("a catalog needs at least one model", nameof(models));
        _byName = new Dictionary<string, SegmenterModel>(StringComparer.Ordinal);
        foreach (var m in models)
        {
            if (!_byName.TryAdd(m.Name, m)) throw new ArgumentException($"duplicate model name {m.Name}", nameof(models));
        }
        if (!_byName.ContainsKey(defaultModel)) throw new ArgumentException($"default model {defaultModel} is not in the catalog", nameof(defaultModel));
        Models = models;
        DefaultModel = defaultModel;
    }

    public IReadOnlyList<SegmenterModel> Models { get; }

    public string DefaultModel { get; }

    /// <summary>The model called <paramref name="name"/> (case-insensitive), or a usage error listing the names.</summary>
    public SegmenterModel Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byName.TryGetValue(name, out var exact)) return exact;
        var folded = Models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (folded != null) return folded;
        throw new UsageException($"--model '{name}': unknown model; available: {string.Join(", ", Models.Select(m => m.Name))}");
    }
}
