using QSam2.Spec.Model;

namespace QSam2.Spec.Quant.Qsw;

/// <summary>
/// One directory entry of a <c>.qsw</c>: name (official state-dict key, or key + <c>_scale</c> /
/// <c>input_scale</c> / <c>input_zero_point</c> suffix), kind, dtype and shape.
/// Offsets are not part of the record, so expected layouts compare equal to what a file holds.
/// </summary>
public sealed record QswTensorInfo(string Name, QswTensorKind Kind, QswDType DType, EquatableArray<int> Shape)
{
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n *= d;
            return n;
        }
    }

    public long ByteLength => QswFormat.ByteLength(DType, ElementCount);

    /// <summary>E.g. <c>image_encoder.trunk.blocks.0.attn.qkv.weight WeightCodes int4 [288,96]</c>.</summary>
    public string Describe() =>
        Name + " " + Kind + " " + DType.ToString().ToLowerInvariant() + " [" + string.Join(",", Shape) + "]";
}
