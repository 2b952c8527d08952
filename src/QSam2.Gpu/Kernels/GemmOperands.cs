using ILGPU;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// The A operand of a GEMM launch: codes or floats (row stride <see cref="Stride"/> elements), and the input
/// quantization a quantized layer applies to float input. The shape decides which view is read.
/// </summary>
public struct GemmInputArgs
{
    public ArrayView<byte> Codes;
    public ArrayView<float> Floats;
    public int Stride;
    public int Rows;
    public float Scale;
    public int ZeroPoint;
    public int QMax;

    /// <summary>A[row, k] as float (0 outside the matrix, and outside the image for im2col).</summary>
    public float Float<TShape>(int row, int k)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        if (row >= Rows || k >= s.K) return 0f;
        if (s.Input == GemmInput.Float) return Floats[(long)row * Stride + k];
        if (s.Input == GemmInput.Codes) return Codes[(long)row * Stride + k];
        // Non-conv shapes return 0 for the geometry; ILGPU folds constants before it drops this branch, so keep every
        // divisor non-zero.
        int kernel = s.ConvKernel > 0 ? s.ConvKernel : 1;
        int stride = s.ConvStride > 0 ? s.ConvStride : 1;
        int outWidth = (s.ConvWidth + 2 * s.ConvPadding - kernel) / stride + 1;
        outWidth = outWidth > 0 ? outWidth : 1;
        int oy = row / outWidth, ox = row - oy * outWidth;
        int c = k / (kernel * kernel), r = k - c * kernel * kernel;
        int ky = r / kernel, kx = r - ky * kernel;
        int y = oy * stride - s.ConvPadding + ky, x = ox * stride - s.ConvPadding + kx;
        if (y < 0 || y >= s.ConvHeight || x < 0 || x >= s.ConvWidth) return 0f;
        return s.Input == GemmInput.Im2ColPlanar
            ? Floats[((long)c * s.ConvHeight + y) * s.ConvWidth + x]
            : Floats[((long)y * s.ConvWidth + x) * s.ConvChannels + c];
    }

    /// <summary>
    /// Four activation codes A[row, k..k+3] packed as unsigned bytes for dp4a. Float inputs are quantized here
    /// (a padded image position is the float 0.0, whose code is the zero point); codes beyond K or M are 0 and meet
    /// zero weights.
    /// </summary>
    public int CodeWord<TShape>(int row, int k)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        int word = 0;
        for (int t = 0; t < 4; t++)
        {
            int kk = k + t;
            int code = 0;
            if (row < Rows && kk < s.K)
            {
                code = s.Input == GemmInput.Codes
                    ? Codes[(long)row * Stride + kk]
                    : DeviceMath.Quantize(Float<TShape>(row, kk), Scale, ZeroPoint, QMax);
            }
            word |= code << (8 * t);
        }
        return word;
    }
}

/// <summary>
/// The destination of a GEMM launch and the fused epilogue operands, applied in the CPU order
/// (docs/quantization.md §5): GELU, residual add, then store as float or quantize to the next layer's codes.
/// </summary>
public struct GemmOutputArgs
{
    public ArrayView<float> Bias;
    public ArrayView<float> Residual;
    public int ResidualStride;
    public ArrayView<float> Values;
    public ArrayView<byte> Codes;
    public int Stride;
    public float Scale;
    public int ZeroPoint;
    public int QMax;

    public float BiasAt<TShape>(int col)
        where TShape : struct, IGemmShape => default(TShape).HasBias ? Bias[col] : 0f;

    /// <summary>Finishes element (row, col) from <paramref name="y"/> = dot product after bias / dequantization.</summary>
    public void Store<TShape>(int row, int col, float y)
        where TShape : struct, IGemmShape
    {
        var s = default(TShape);
        if (s.Gelu) y = DeviceMath.Gelu(y);
        if (s.Residual) y += Residual[(long)row * ResidualStride + col];
        long at = (long)row * Stride + col;
        if (s.QuantizeOutput) Codes[at] = (byte)DeviceMath.Quantize(y, Scale, ZeroPoint, QMax);
        else Values[at] = y;
    }
}
