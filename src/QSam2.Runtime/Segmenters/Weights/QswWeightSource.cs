using QSam2.Runtime.Kernels.Quant;
using QSam2.Spec.Quant.Qsw;

namespace QSam2.Runtime.Segmenters;

/// <summary>Weights from a verified <c>.qsw</c> (its directory already matched the segmenter's layout).</summary>
public sealed class QswWeightSource : WeightSource
{
    private readonly QswFile _file;

    public QswWeightSource(QswFile file)
        : base(file.Source) => _file = file;

    public override float[] Float(string key, int[] shape)
    {
        var info = Expect(key, shape);
        if (info.Kind != QswTensorKind.Float)
            throw new QswFormatException(Source, key, $"is stored as {info.Kind}, expected a float tensor");
        return _file.Float32(key);
    }

    public override bool IsQuantized(string layer) =>
        _file.Contains(layer + ".weight") && _file.Info(layer + ".weight").Kind == QswTensorKind.WeightCodes;

    public override QuantizedTensor Quantized(string layer, int[] shape)
    {
        var codes = Expect(layer + ".weight", shape);
        if (codes.Kind != QswTensorKind.WeightCodes)
            throw new QswFormatException(Source, layer + ".weight", $"is stored as {codes.Kind}, expected weight codes");
        var scales = _file.Info(layer + ".weight_scale");
        return new QuantizedTensor(_file.WeightCodes(layer + ".weight"), shape, _file.Float32(layer + ".weight_scale"), scales.Shape.ToArray());
    }

    public override ActivationQuantParams Activation(string layer, int bits)
    {
        var scale = _file.Float32(layer + ".input_scale");
        var zp = _file.Int32(layer + ".input_zero_point");
        var p = new ActivationQuantParams(scale[0], zp[0], bits);
        try
        {
            p.Validate(layer + " input");
        }
        catch (ArgumentException e)
        {
            throw new QswFormatException(Source, layer + ".input_scale", e.Message);
        }
        return p;
    }

    private QswTensorInfo Expect(string key, int[] shape)
    {
        if (!_file.Contains(key)) throw new QswFormatException(Source, key, "tensor not found");
        var info = _file.Info(key);
        if (!info.Shape.ToArray().AsSpan().SequenceEqual(shape))
            throw new QswFormatException(Source, key, $"shape {Shape(info.Shape.ToArray())}, the segmenter was compiled for {Shape(shape)}");
        return info;
    }
}
