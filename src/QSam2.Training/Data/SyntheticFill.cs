using SkiaSharp;

namespace QSam2.Training.Data;

/// <summary>The ways a synthetic background or object surface is painted.</summary>
internal enum SyntheticFillStyle
{
    Solid,
    LinearGradient,
    RadialGradient,
    Stripes,
    Checker,
    Noise,
}

/// <summary>
/// A random surface — solid colour, gradient, stripes, checkerboard or value noise between two colours —
/// spread over an area (the image for backgrounds, the object's bounds for objects). Owns the shader and
/// any texture bitmap behind it.
/// </summary>
internal sealed class SyntheticFill : IDisposable
{
    private readonly SKShader? _shader;
    private readonly SKBitmap? _texture;

    public SyntheticFillStyle Style { get; }

    /// <summary>The fill's dominant colour (used to make low-contrast objects against it).</summary>
    public SKColor MeanColor { get; }

    private SyntheticFill(SyntheticFillStyle style, SKColor mean, SKShader? shader, SKBitmap? texture)
    {
        Style = style;
        MeanColor = mean;
        _shader = shader;
        _texture = texture;
    }

    public void Apply(SKPaint paint)
    {
        paint.Color = MeanColor;
        paint.Shader = _shader;
    }

    public void Dispose()
    {
        _shader?.Dispose();
        _texture?.Dispose();
    }

    public static SyntheticFill Create(DeterministicRandom rng, SyntheticFillStyle style, SKColor a, SKColor b, SKRect area)
    {
        SKColor mean = Lerp(a, b, 0.5);
        switch (style)
        {
            case SyntheticFillStyle.Solid:
                return new SyntheticFill(style, a, null, null);

            case SyntheticFillStyle.LinearGradient:
            {
                var p0 = RandomPoint(rng, area);
                var p1 = RandomPoint(rng, area);
                if (SKPoint.Distance(p0, p1) < 1)
                {
                    p1 = new SKPoint(p0.X + Math.Max(area.Width, 2), p0.Y);
                }

                var shader = SKShader.CreateLinearGradient(p0, p1, new[] { a, b }, SKShaderTileMode.Clamp);
                return new SyntheticFill(style, mean, shader, null);
            }

            case SyntheticFillStyle.RadialGradient:
            {
                float radius = Math.Max(4, Math.Max(area.Width, area.Height) * rng.UniformF(0.3, 1.0));
                var shader = SKShader.CreateRadialGradient(RandomPoint(rng, area), radius, new[] { a, b }, SKShaderTileMode.Clamp);
                return new SyntheticFill(style, mean, shader, null);
            }

            case SyntheticFillStyle.Stripes:
            {
                // A linear gradient with hard stops, repeated: period 3–16 px at any angle.
                float period = rng.UniformF(3, 16);
                float duty = rng.UniformF(0.3, 0.7);
                double angle = rng.Uniform(0, Math.PI);
                var p0 = RandomPoint(rng, area);
                var p1 = new SKPoint(p0.X + (period * (float)Math.Cos(angle)), p0.Y + (period * (float)Math.Sin(angle)));
                var shader = SKShader.CreateLinearGradient(p0, p1, new[] { a, a, b, b }, new[] { 0f, duty, duty, 1f }, SKShaderTileMode.Repeat);
                return new SyntheticFill(style, mean, shader, null);
            }

            case SyntheticFillStyle.Checker:
            {
                var texture = new SKBitmap(new SKImageInfo(2, 2, SKColorType.Rgba8888, SKAlphaType.Opaque));
                texture.SetPixel(0, 0, a);
                texture.SetPixel(1, 1, a);
                texture.SetPixel(1, 0, b);
                texture.SetPixel(0, 1, b);
                float cell = rng.UniformF(2, 12);
                var matrix = SKMatrix.CreateScale(cell, cell)
                    .PostConcat(SKMatrix.CreateRotationDegrees(rng.UniformF(0, 90)))
                    .PostConcat(SKMatrix.CreateTranslation(area.Left, area.Top));
                var shader = texture.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, new SKSamplingOptions(SKFilterMode.Nearest), matrix);
                return new SyntheticFill(style, mean, shader, texture);
            }

            case SyntheticFillStyle.Noise:
            {
                // Value noise: a small grid of random blends of the two colours, smoothly upsampled.
                int gw = rng.Next(4, 17), gh = rng.Next(4, 17);
                var texture = new SKBitmap(new SKImageInfo(gw, gh, SKColorType.Rgba8888, SKAlphaType.Opaque));
                for (int y = 0; y < gh; y++)
                {
                    for (int x = 0; x < gw; x++)
                    {
                        texture.SetPixel(x, y, Lerp(a, b, rng.NextDouble()));
                    }
                }

                float texel = rng.UniformF(1.5, 14);
                var matrix = SKMatrix.CreateScale(texel, texel * rng.UniformF(0.5, 2.0))
                    .PostConcat(SKMatrix.CreateRotationDegrees(rng.UniformF(0, 360)))
                    .PostConcat(SKMatrix.CreateTranslation(area.Left, area.Top));
                var shader = texture.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat, new SKSamplingOptions(SKFilterMode.Linear), matrix);
                return new SyntheticFill(style, mean, shader, texture);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(style), style, "unknown fill style");
        }
    }

    /// <summary>A random saturated or muted colour.</summary>
    public static SKColor RandomColor(DeterministicRandom rng) =>
        SKColor.FromHsv(rng.UniformF(0, 360), rng.UniformF(0, 100), rng.UniformF(10, 100));

    /// <summary>
    /// A colour that differs from <paramref name="reference"/> by <paramref name="minDelta"/> to
    /// <paramref name="maxDelta"/> levels in each channel (random sign): visible, but only just.
    /// </summary>
    public static SKColor Near(DeterministicRandom rng, SKColor reference, int minDelta, int maxDelta)
    {
        int Shift(byte channel)
        {
            int delta = rng.Next(minDelta, maxDelta + 1);
            // Push away from the nearer end so the difference survives clamping.
            bool up = channel + delta <= 255 && (channel - delta < 0 || rng.Chance(0.5));
            return up ? channel + delta : channel - delta;
        }

        return new SKColor(ClampByte(Shift(reference.Red)), ClampByte(Shift(reference.Green)), ClampByte(Shift(reference.Blue)));
    }

    public static SKColor Lerp(SKColor a, SKColor b, double t) => new(
        (byte)Math.Round(a.Red + ((b.Red - a.Red) * t)),
        (byte)Math.Round(a.Green + ((b.Green - a.Green) * t)),
        (byte)Math.Round(a.Blue + ((b.Blue - a.Blue) * t)));

    private static byte ClampByte(int v) => (byte)Math.Clamp(v, 0, 255);

    private static SKPoint RandomPoint(DeterministicRandom rng, SKRect area) =>
        new(rng.UniformF(area.Left, area.Right), rng.UniformF(area.Top, area.Bottom));
}
