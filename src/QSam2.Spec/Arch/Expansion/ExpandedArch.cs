using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// Everything derived from an <see cref="ArchSpec"/> at one image size: the Hiera block schedule, the ordered
/// layers of the whole model (official module order = state-dict order), the state-dict inventory, parameter
/// totals and MACs. Immutable and equatable, so the generator can cache it.
/// </summary>
public sealed record ExpandedArch
{
    public ArchSpec Spec { get; init; } = new();

    /// <summary>Input side the shapes and MACs are computed for.</summary>
    public int ImageSize { get; init; }

    /// <summary>Side of the image embedding (<c>ImageSize / backbone_stride</c>).</summary>
    public int EmbeddingSize { get; init; }

    /// <summary>Sparse prompt tokens assumed for decoder shapes/MACs (one click + the padding point = 2).</summary>
    public int SparsePromptTokens { get; init; }

    public EquatableArray<HieraBlock> Blocks { get; init; } = EquatableArray<HieraBlock>.Empty;

    public EquatableArray<TrunkStage> Stages { get; init; } = EquatableArray<TrunkStage>.Empty;

    public EquatableArray<LayerInfo> Layers { get; init; } = EquatableArray<LayerInfo>.Empty;

    /// <summary>Every state-dict entry in the order <c>model.state_dict()</c> yields them.</summary>
    public EquatableArray<StateDictEntry> StateDictInventory { get; init; } = EquatableArray<StateDictEntry>.Empty;

    /// <summary>Per-component totals, in <see cref="ModelComponent"/> order.</summary>
    public EquatableArray<ComponentParameterCount> ComponentParameterCounts { get; init; } = EquatableArray<ComponentParameterCount>.Empty;

    /// <summary>State-dict elements (parameters plus the 2×(d_model/2) random-Fourier buffer).</summary>
    public long TotalParameters { get; init; }

    public MacSummary Macs { get; init; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Trunk + neck MACs (see <see cref="MacSummary"/>).</summary>
    public long ImageEncoderMacs => Macs.ImageEncoder;

    public int StateDictKeyCount => StateDictInventory.Count;

    public long ParameterCount(ModelComponent component) =>
        ComponentParameterCounts.First(c => c.Component == component).Parameters;

    /// <summary>The layer with this official name, or null.</summary>
    public LayerInfo? FindLayer(string name)
    {
        foreach (var l in Layers)
        {
            if (string.Equals(l.Name, name, StringComparison.Ordinal)) return l;
        }
        return null;
    }
}
