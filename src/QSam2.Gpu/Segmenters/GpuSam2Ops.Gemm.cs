using QSam2.Gpu.Kernels;

namespace QSam2.Gpu.Segmenters;

// Weight layers: one GEMM launch over all rows with the fused epilogue; the layer's shape struct (generated per distinct
// shape) selects the input form, the epilogue and every size at compile time.
public static partial class GpuSam2Ops
{
    /// <summary>Integer GEMM of a quantized layer (weights decoded by <typeparamref name="TCodec"/>).</summary>
    public static void QuantGemm<TCodec, TShape>(GpuSegmenterBackend a, GpuLinearLayer layer, long input, int rows, long output, long residual,
        GpuLinearLayer? quantizeFor)
        where TCodec : struct, IWeightCodec
        where TShape : struct, IGemmShape
    {
        ArgumentNullException.ThrowIfNull(layer);
        Check<TShape>(a, layer, residual, quantizeFor);
        if (!layer.Quantized || layer.WeightBits != default(TCodec).Bits)
            throw new InvalidOperationException($"{a.Description}: {layer.Name} holds {(layer.Quantized ? layer.WeightBits + "-bit" : "float")} weights, the generated call expects {default(TCodec).Bits}-bit (generator and runtime disagree)");
        var args = new QuantGemmArgs
        {
            Input = Input<TShape>(a, layer, input, rows),
            Weights = layer.Words,
            WeightSums = layer.Sums,
            Scales = layer.Scales,
            Output = Output<TShape>(a, layer, rows, output, residual, quantizeFor),
        };
        GpuLaunch.QuantGemm<TCodec, TShape>(a.Device, args);
    }

    /// <summary>Float GEMM of a float layer.</summary>
    public static void FloatGemm<TShape>(GpuSegmenterBackend a, GpuLinearLayer layer, long input, int rows, long output, long residual,
        GpuLinearLayer? quantizeFor)
        where TShape : struct, IGemmShape
    {
        ArgumentNullException.ThrowIfNull(layer);
        Check<TShape>(a, layer, residual, quantizeFor);
        if (layer.Quantized) throw new InvalidOperationException($"{a.Description}: {layer.Name} is quantized, the generated call expects a float layer");
        if (default(TShape).Input == GemmInput.Codes) throw new InvalidOperationException($"{a.Description}: {layer.Name} is a float layer and cannot take activation codes");
        var args = new FloatGemmArgs
        {
            Input = Input<TShape>(a, layer, input, rows),
            Weights = layer.FloatWeights,
            Output = Output<TShape>(a, layer, rows, output, residual, quantizeFor),
        };
        GpuLaunch.FloatGemm<TShape>(a.Device, args);
    }

    private static GemmInputArgs Input<TShape>(GpuSegmenterBackend a, GpuLinearLayer layer, long input, int rows)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        var q = layer.InputQuant;
        var args = new GemmInputArgs { Stride = layer.K, Rows = rows, Scale = q.Scale, ZeroPoint = q.ZeroPoint, QMax = layer.Quantized ? q.QMax : 0 };
        switch (s.Input)
        {
            case GemmInput.Codes:
                args.Codes = a.B(input, (long)rows * layer.K);
                break;
            case GemmInput.Float:
                args.Floats = a.F(input, (long)rows * layer.K);
                break;
            default:
                args.Floats = a.F(input, (long)s.ConvChannels * s.ConvHeight * s.ConvWidth);
                break;
        }
        return args;
    }

    private static GemmOutputArgs Output<TShape>(GpuSegmenterBackend a, GpuLinearLayer layer, int rows, long output, long residual, GpuLinearLayer? quantizeFor)
        where TShape : struct, IGemmShape
    {
        long count = (long)rows * layer.N;
        var args = new GemmOutputArgs { Bias = layer.Bias, Stride = layer.N, ResidualStride = layer.N };
        if (residual >= 0) args.Residual = a.F(residual, count);
        if (quantizeFor != null)
        {
            var q = quantizeFor.InputQuant;
            args.Codes = a.B(output, count);
            args.Scale = q.Scale;
            args.ZeroPoint = q.ZeroPoint;
            args.QMax = q.QMax;
        }
        else
        {
            args.Values = a.F(output, count);
        }
        return args;
    }

    /// <summary>The generated shape must describe the loaded layer; a mismatch means generator and runtime disagree.</summary>
    private static void Check<TShape>(GpuSegmenterBackend a, GpuLinearLayer layer, long residual, GpuLinearLayer? quantizeFor)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        string Fail(string what) => $"{a.Description}: {layer.Name}: {what} (generator and runtime disagree)";
        if (s.K != layer.K || s.N != layer.N) throw new InvalidOperationException(Fail($"layer is [{layer.N} × {layer.K}], the kernel shape [{s.N} × {s.K}]"));
        if (s.GroupSize != layer.GroupSize) throw new InvalidOperationException(Fail($"group size {layer.GroupSize}, the kernel shape {s.GroupSize}"));
        if (s.HasBias != layer.HasBias) throw new InvalidOperationException(Fail(layer.HasBias ? "layer has a bias the kernel ignores" : "kernel reads a bias the layer lacks"));
        if (s.Residual != residual >= 0) throw new InvalidOperationException(Fail("residual operand and kernel shape disagree"));
        if (s.QuantizeOutput != quantizeFor is not null) throw new InvalidOperationException(Fail("output quantization and kernel shape disagree"));
        if (quantizeFor is { Quantized: false }) throw new InvalidOperationException(Fail($"output quantized for float layer {quantizeFor.Name}"));
    }
}
