using QSam2.Spec.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Training.Quantization.Reporting;

/// <summary>Storage of the image path's weights as float32 and as a <c>.qsw</c> would pack them for the kernels.</summary>
public static class ModelSize
{
    public static ModelSizeSummary Of(QswLayout layout, QuantResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(resolution);
        var bits = resolution.Layers.Where(l => !l.Quant.KeepFloat).ToDictionary(l => l.Target.Name + ".weight", l => l.Quant.WeightBits, StringComparer.Ordinal);
        long fp32 = 0, packedBits = 0, quantParams = 0, floatParams = 0;
        foreach (var t in layout.Tensors)
        {
            switch (t.Kind)
            {
                case QswTensorKind.Float:
                    fp32 += 4 * t.ElementCount;
                    packedBits += 32 * t.ElementCount;
                    floatParams += t.ElementCount;
                    break;
                case QswTensorKind.WeightCodes:
                    fp32 += 4 * t.ElementCount;
                    packedBits += bits[t.Name] * t.ElementCount;
                    quantParams += t.ElementCount;
                    break;
                default:
                    packedBits += 8 * t.ByteLength; // scales, input scale and zero point
                    break;
            }
        }
        return new ModelSizeSummary(fp32, (packedBits + 7) / 8, quantParams, floatParams);
    }
}
