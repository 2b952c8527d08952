using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>Short constructors for the <c>.qsw</c> directory tables in generated code.</summary>
public static class QswEntries
{
    public static QswTensorInfo Float(string name, params int[] shape) => new(name, QswTensorKind.Float, QswDType.Float32, shape);

    public static QswTensorInfo Codes(string name, params int[] shape) => new(name, QswTensorKind.WeightCodes, QswDType.Int8, shape);

    public static QswTensorInfo Scales(string name, params int[] shape) => new(name, QswTensorKind.WeightScales, QswDType.Float32, shape);

    public static QswTensorInfo InputScale(string name) => new(name, QswTensorKind.ActivationScale, QswDType.Float32, new[] { 1 });

    public static QswTensorInfo InputZeroPoint(string name) => new(name, QswTensorKind.ActivationZeroPoint, QswDType.Int32, new[] { 1 });
}
