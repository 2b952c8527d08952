using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Segmenter.Models;

/// <summary>
/// Packs the float32 weights an FP32 segmenter needs from a checkpoint (official key names) into a <c>.qsw</c> of
/// that segmenter's layout: only the image-path tensors, in layout order, so the shipped FP32 model is embedded the
/// same way as the quantized ones (structure hash and checksum verified at load) and without the video-only weights.
/// </summary>
public static class Fp32QswPacker
{
    public static byte[] Pack(StateDict state, QswLayout layout, string source)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(layout);
        var writer = new QswWriter(layout.StructureHash);
        foreach (var t in layout.Tensors)
        {
            if (t.Kind != QswTensorKind.Float || t.DType != QswDType.Float32)
            {
                throw new ArgumentException($"{layout.Description} is not a float32 segmenter: {t.Name} is {t.Kind} {t.DType}", nameof(layout));
            }
            var shape = t.Shape.ToArray();
            if (!state.TryGetValue(t.Name, out var tensor))
            {
                throw new UsageException($"{source}: tensor {t.Name} is missing (the checkpoint is not a {layout.Description} model)");
            }
            if (!tensor.HasShape(shape))
            {
                throw new UsageException($"{source}: tensor {t.Name} has shape {TensorData.FormatShape(tensor.ShapeSpan)}, {layout.Description} needs {TensorData.FormatShape(shape)}");
            }
            writer.AddFloat32(t.Name, QswTensorKind.Float, shape, tensor.Data);
        }
        return writer.ToArray();
    }
}
