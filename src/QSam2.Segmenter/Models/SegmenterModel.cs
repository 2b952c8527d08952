using QSam2.Runtime.Segmenters;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Segmenter.Models;

/// <summary>
/// One model sam2seg can run: a generated segmenter class (fixed structure: arch + per-layer bits) paired with a
/// <c>.qsw</c> of that structure. <see cref="Open"/> loads and verifies the weights (structure hash, checksum).
/// </summary>
public sealed class SegmenterModel
{
    private readonly Func<Stream, string, Sam2SegmenterBase> _load;

    /// <param name="name">Name users pass to <c>--model</c>, e.g. <c>mini-w4a8</c>.</param>
    /// <param name="precision">Headline bits of the recipe.</param>
    /// <param name="description">The generated segmenter's description (arch, quant spec, per-layer bit summary).</param>
    /// <param name="structureHashHex">The structure hash the segmenter was compiled for.</param>
    /// <param name="layout">The exact .qsw directory the segmenter loads (the generated class's <c>QswLayout</c>).</param>
    /// <param name="weights">Where the .qsw is.</param>
    /// <param name="load">The generated class's <c>Load(Stream, string)</c>.</param>
    public SegmenterModel(string name, ModelPrecision precision, string description, QswLayout layout,
        ModelWeights weights, Func<Stream, string, Sam2SegmenterBase> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Precision = precision;
        Description = description ?? "";
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Weights = weights ?? throw new ArgumentNullException(nameof(weights));
        _load = load ?? throw new ArgumentNullException(nameof(load));
    }

    public string Name { get; }
    public ModelPrecision Precision { get; }
    public string Description { get; }
    public QswLayout Layout { get; }
    public string StructureHashHex => Layout.StructureHashHex;
    public ModelWeights Weights { get; }

    /// <summary>Loads the segmenter with its weights.</summary>
    /// <exception cref="UsageException">The weights are not available in this build.</exception>
    public Sam2SegmenterBase Open()
    {
        using var stream = Weights.Open()
            ?? throw new UsageException($"model {Name}: its weights ({Weights.Name}) are not in this build of sam2seg; see 'sam2seg models'");
        return _load(stream, Weights.Name);
    }
}
