using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>Short constructors for the <c>.qsw</c> directory tables in generated code.</summary>
public static class QswEntries
{
    public static QswTensorInfo Float(string name, params int[] shape) => new(name, QswTensorKind.Float, QswDType.Float32, shape);

    public static QswTensorInfo Int8Codes(string name, params int[] shape) => new(name, QswTensorKind.WeightCodes, QswDType.Int8, shape);

    /// <summary>3- and 4-bit weight codes, two per byte.</summary>
    public static QswTensorInfo Int4Codes(string name, params int[] shape) => new(name, QswTensorKind.WeightCodes, QswDType.Int4, shape);

    /// <summary>2-bit weight codes, four per byte.</summary>
    public static QswTensorInfo Int2Codes(string name, params int[] shape) => new(name, QswTensorKind.WeightCodes, QswDType.Int2, shape);

    public static QswTensorInfo Scales(string name, params int[] shape) => new(name, QswTensorKind.WeightScales, QswDType.Float32, shape);

    public static QswTensorInfo InputScale(string name) => new(name, QswTensorKind.ActivationScale, QswDType.Float32, new[] { 1 });

    public static QswTensorInfo InputZeroPoint(string name) => new(name, QswTensorKind.ActivationZeroPoint, QswDType.Int32, new[] { 1 });
}
