namespace QSam2.Runtime.Segmenters;

// Positional encodings that depend only on weights and sizes: computed once at load.
public static partial class Sam2Ops
{
    /// <summary>
    /// Hiera's positional embedding at the patch grid (sam2-architecture.md §4.2), channels-last
    /// <c>[gridH·gridW, C]</c>: <c>bicubic(pos_embed → gridH×gridW) + tile(pos_embed_window)</c>, with PyTorch's bicubic
    /// (a = −0.75, align_corners=False, source index not clamped, taps clamped to the border, separable x then y).
    /// </summary>
    public static float[] HieraPositionalEmbedding(float[] posEmbed, int channels, int bgH, int bgW, float[] windowEmbed, int window, int gridH, int gridW)
    {
        if (posEmbed.Length != channels * bgH * bgW) throw new ArgumentException($"pos_embed has {posEmbed.Length} values, expected {channels}×{bgH}×{bgW}");
        if (windowEmbed.Length != channels * window * window) throw new ArgumentException($"pos_embed_window has {windowEmbed.Length} values, expected {channels}×{window}×{window}");
        var ty = CubicTaps(bgH, gridH);
        var tx = CubicTaps(bgW, gridW);
        var result = new float[gridH * gridW * channels];
        var row = new double[4];
        for (int c = 0; c < channels; c++)
        {
            int plane = c * bgH * bgW;
            for (int y = 0; y < gridH; y++)
            {
                var (iy, wy) = ty[y];
                for (int x = 0; x < gridW; x++)
                {
                    var (ix, wx) = tx[x];
                    double acc = 0;
                    for (int r = 0; r < 4; r++)
                    {
                        int sy = Math.Clamp(iy - 1 + r, 0, bgH - 1);
                        double line = 0;
                        for (int s = 0; s < 4; s++)
                        {
                            int sx = Math.Clamp(ix - 1 + s, 0, bgW - 1);
                            line += wx[s] * posEmbed[plane + sy * bgW + sx];
                        }
                        row[r] = line;
                        acc += wy[r] * line;
                    }
                    float win = windowEmbed[(c * window + y % window) * window + x % window];
                    result[(y * gridW + x) * channels + c] = (float)acc + win;
                }
            }
        }
        return result;
    }

    /// <summary>For each output index: the floor source index and the four cubic-convolution weights.</summary>
    private static (int Index, double[] Weights)[] CubicTaps(int inSize, int outSize)
    {
        const double A = -0.75;
        double scale = (double)inSize / outSize;
        var taps = new (int, double[])[outSize];
        for (int o = 0; o < outSize; o++)
        {
            double real = scale * (o + 0.5) - 0.5;
            int i = (int)Math.Floor(real);
            double t = real - i;
            taps[o] = (i, new[]
            {
                ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A,
                ((A + 2) * t - (A + 3)) * t * t + 1,
                ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1,
                ((A * (2 - t) - 5 * A) * (2 - t) + 8 * A) * (2 - t) - 4 * A,
            });
        }
        return taps;
    }

    /// <summary>
    /// The prompt encoder's dense positional encoding (<c>get_dense_pe</c>) for an E×E grid, channels-last
    /// <c>[E·E, D]</c>: at cell (i, j), <c>u = 2·((j + 0.5)/E, (i + 0.5)/E) − 1</c>, <c>φ = 2π·(u·G)</c>, <c>[sin φ, cos φ]</c>.
    /// </summary>
    public static float[] DensePositionalEncoding(float[] gaussian, int embeddingSize)
    {
        int half = gaussian.Length / 2;
        var result = new float[embeddingSize * embeddingSize * 2 * half];
        for (int i = 0; i < embeddingSize; i++)
        {
            for (int j = 0; j < embeddingSize; j++)
            {
                float ux = 2f * ((j + 0.5f) / embeddingSize) - 1f;
                float uy = 2f * ((i + 0.5f) / embeddingSize) - 1f;
                RandomFourier(gaussian, ux, uy, result.AsSpan((i * embeddingSize + j) * 2 * half, 2 * half));
            }
        }
        return result;
    }

    /// <summary><c>[sin(2π·(ux·G₀ + uy·G₁)), cos(…)]</c> for a coordinate already mapped to [−1, 1].</summary>
    internal static void RandomFourier(float[] gaussian, float ux, float uy, Span<float> output)
    {
        int half = gaussian.Length / 2;
        for (int k = 0; k < half; k++)
        {
            float phi = 2f * MathF.PI * (ux * gaussian[k] + uy * gaussian[half + k]);
            output[k] = MathF.Sin(phi);
            output[half + k] = MathF.Cos(phi);
        }
    }
}
