namespace QSam2.Runtime.Imaging;

/// <summary>
/// Bilinear resize with antialiasing, bit-for-bit in the style of PyTorch's CPU kernel for
/// <c>F.interpolate(x, size, mode="bilinear", align_corners=False, antialias=True)</c> on float32
/// (which is what torchvision ≥ 0.17 <c>Resize</c> runs, and so what SAM2's <c>SAM2Transforms</c> runs).
/// It is PIL's separable triangle filter: for scale r = in/out the support is max(r, 1) input pixels on
/// each side of the centre (o + 0.5)·r, weights 1 − |d|/max(r, 1), normalised to sum 1. When upscaling it
/// reduces to plain bilinear. Width is resampled first, then height, through a float32 intermediate, and
/// the float/double promotions follow the C++ source so rounding matches the reference closely.
/// </summary>
public static class AntialiasedResize
{
    /// <summary>
    /// Resizes planar float data <c>[channels, inH, inW]</c> to <c>[channels, outH, outW]</c>.
    /// </summary>
    public static float[] ResizeChw(ReadOnlySpan<float> source, int channels, int inH, int inW, int outH, int outW)
    {
        if (channels <= 0 || inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0)
        {
            throw new ArgumentException($"invalid resize {channels}×{inH}×{inW} → {outH}×{outW}");
        }
        if (source.Length != channels * inH * inW)
        {
            throw new ArgumentException($"source has {source.Length} values, expected {channels}×{inH}×{inW}", nameof(source));
        }

        // Horizontal pass: [C, inH, inW] → [C, inH, outW].
        var horizontal = FilterWeights.Compute(inW, outW);
        var mid = new float[channels * inH * outW];
        for (int row = 0; row < channels * inH; row++)
        {
            var src = source.Slice(row * inW, inW);
            int dstBase = row * outW;
            for (int o = 0; o < outW; o++) mid[dstBase + o] = horizontal.Apply(src, o, stride: 1);
        }

        // Vertical pass: [C, inH, outW] → [C, outH, outW].
        var vertical = FilterWeights.Compute(inH, outH);
        var result = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++)
        {
            var plane = mid.AsSpan(c * inH * outW, inH * outW);
            for (int o = 0; o < outH; o++)
            {
                int dstBase = (c * outH + o) * outW;
                for (int x = 0; x < outW; x++) result[dstBase + x] = vertical.Apply(plane.Slice(x), o, stride: outW);
            }
        }
        return result;
    }

    /// <summary>Per-output-index tap ranges and normalised weights for one axis.</summary>
    private sealed class FilterWeights
    {
        private readonly int[] _start;
        private readonly int[] _count;
        private readonly float[][] _weights;

        private FilterWeights(int[] start, int[] count, float[][] weights)
        {
            _start = start;
            _count = count;
            _weights = weights;
        }

        public static FilterWeights Compute(int inSize, int outSize)
        {
            // Mirrors aten/src/ATen/native/cpu/UpSampleKernel.cpp (_compute_indices_min_size_weights_aa):
            // scale, support, centre and invscale are scalar_t (float); the "+ 0.5" terms promote to double.
            float scale = (float)inSize / outSize;
            float support = scale >= 1.0f ? (float)(1.0 * scale) : 1.0f;
            float invScale = scale >= 1.0f ? (float)(1.0 / scale) : 1.0f;
            var start = new int[outSize];
            var count = new int[outSize];
            var weights = new float[outSize][];
            for (int i = 0; i < outSize; i++)
            {
                float center = (float)(scale * (i + 0.5));
                long xmin = Math.Max((long)((center - support) + 0.5), 0L);
                long xsize = Math.Min((long)((center + support) + 0.5), inSize) - xmin;
                var w = new float[xsize];
                float total = 0f;
                for (long j = 0; j < xsize; j++)
                {
                    w[j] = Triangle((float)((((j + xmin) - center) + 0.5) * invScale));
                    total += w[j];
                }
                if (total != 0f)
                {
                    for (long j = 0; j < xsize; j++) w[j] /= total;
                }
                start[i] = (int)xmin;
                count[i] = (int)xsize;
                weights[i] = w;
            }
            return new FilterWeights(start, count, weights);
        }

        /// <summary>Weighted sum over the taps of output index <paramref name="o"/>, accumulated in float like the reference.</summary>
        public float Apply(ReadOnlySpan<float> line, int o, int stride)
        {
            var w = _weights[o];
            int s = _start[o];
            float acc = line[s * stride] * w[0];
            for (int j = 1; j < _count[o]; j++) acc += line[(s + j) * stride] * w[j];
            return acc;
        }

        private static float Triangle(float x)
        {
            if (x < 0f) x = -x;
            return x < 1f ? 1f - x : 0f;
        }
    }
}
