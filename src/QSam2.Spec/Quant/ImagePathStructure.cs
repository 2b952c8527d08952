using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Spec.Quant;

/// <summary>
/// What an image segmenter (SetImage / Predict) needs from an expanded architecture: the layers of the image path
/// (trunk, neck, prompt encoder, mask decoder, and <c>no_mem_embed</c>), the weight layers a quant spec can address,
/// and the <c>.qsw</c> layout for a resolved quantization. The generator, the exporter and the runtime loader all
/// derive the structure hash from here, so they cannot disagree.
/// </summary>
public static class ImagePathStructure
{
    /// <summary>True for layers the image path runs (memory attention/encoder and the video heads are excluded).</summary>
    public static bool IsImagePath(LayerInfo layer) =>
        layer.Component is ModelComponent.Trunk or ModelComponent.Neck or ModelComponent.PromptEncoder or ModelComponent.MaskDecoder
        || layer.Name == "no_mem_embed";

    /// <summary>True for layers with a weight matrix that can be quantized.</summary>
    public static bool IsWeightLayer(LayerInfo layer) =>
        layer.Kind is LayerKind.Linear or LayerKind.Conv2d or LayerKind.ConvTranspose2d;

    /// <summary>The image path's weight layers in official order.</summary>
    public static QuantTarget[] QuantTargets(ExpandedArch arch) =>
        arch.Layers.Where(l => IsImagePath(l) && IsWeightLayer(l))
            .Select(l => new QuantTarget(l.Name, Weight(l).Shape, l.Kind == LayerKind.ConvTranspose2d ? 1 : 0))
            .ToArray();

    /// <summary>
    /// The <c>.qsw</c> layout of an image segmenter: every image-path tensor in official order, weights of quantized
    /// layers as codes + scales + input activation parameters. <paramref name="quant"/> null means FP32.
    /// </summary>
    public static QswLayout Layout(ExpandedArch arch, QuantResolution? quant, string description)
    {
        var byLayer = new Dictionary<string, ResolvedLayerQuant>(StringComparer.Ordinal);
        if (quant != null)
        {
            foreach (var l in quant.Layers) byLayer[l.Target.Name] = l.Quant;
        }
        var sources = new List<QswSourceTensor>();
        foreach (var layer in arch.Layers)
        {
            if (!IsImagePath(layer)) continue;
            bool weightLayer = IsWeightLayer(layer);
            foreach (var p in layer.Parameters)
            {
                ResolvedLayerQuant? q = null;
                if (weightLayer && p.Name == "weight" && byLayer.TryGetValue(layer.Name, out var resolved)) q = resolved;
                sources.Add(new QswSourceTensor(p.Key, p.Shape, q, layer.Kind == LayerKind.ConvTranspose2d ? 1 : 0));
            }
        }
        return QswLayout.Build(description, ArchCanonicalText.Write(arch.Spec), sources);
    }

    private static ParameterTensor Weight(LayerInfo layer) =>
        layer.Parameters.FirstOrDefault(p => p.Name == "weight") ?? throw new InvalidOperationException(layer.Name + " has no weight");
}
