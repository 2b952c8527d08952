using SkiaSharp;

namespace QSam2.Training.Data;

/// <summary>
/// The outline of one synthetic object: a path, filled (even-odd, so inner contours are holes) or, for
/// curves, stroked with <see cref="StrokeWidth"/>. The image and the mask are drawn from this same
/// geometry, so they agree up to anti-aliasing.
/// </summary>
internal sealed class SyntheticGeometry : IDisposable
{
    public SyntheticShape Shape { get; }

    public SKPath Path { get; }

    /// <summary>0 for a filled path; otherwise the stroke width in pixels.</summary>
    public float StrokeWidth { get; }

    private SyntheticGeometry(SyntheticShape shape, SKPath path, float strokeWidth = 0)
    {
        Shape = shape;
        Path = path;
        StrokeWidth = strokeWidth;
    }

    public void Dispose() => Path.Dispose();

    /// <summary>
    /// A random instance of <paramref name="shape"/> on a <paramref name="width"/>×<paramref name="height"/>
    /// image. Sizes are log-uniform between 5 % and 30 % of the short side so small objects are common;
    /// centres may sit slightly outside the image, so some objects are cut by the border.
    /// </summary>
    public static SyntheticGeometry Create(SyntheticShape shape, DeterministicRandom rng, int width, int height)
    {
        float side = Math.Min(width, height);
        float r = side * (float)(0.05 * Math.Exp(rng.Uniform(0, Math.Log(6.0))));
        float cx = rng.UniformF(-0.05 * width, 1.05 * width);
        float cy = rng.UniformF(-0.05 * height, 1.05 * height);
        float angle = rng.UniformF(0, 360);
        var path = new SKPath { FillType = SKPathFillType.EvenOdd };
        float strokeWidth = 0;
        switch (shape)
        {
            case SyntheticShape.Ellipse:
            {
                float ry = r * rng.UniformF(0.35, 1.0);
                path.AddOval(new SKRect(-r, -ry, r, ry));
                break;
            }

            case SyntheticShape.Rectangle:
            {
                float hw = r, hh = r * rng.UniformF(0.3, 1.0);
                if (rng.Chance(0.3))
                {
                    float corner = Math.Min(hw, hh) * rng.UniformF(0.1, 0.5);
                    path.AddRoundRect(new SKRect(-hw, -hh, hw, hh), corner, corner);
                }
                else
                {
                    path.AddRect(new SKRect(-hw, -hh, hw, hh));
                }

                break;
            }

            case SyntheticShape.Triangle:
            {
                // Three vertices at spread-out angles with random radii: acute to very obtuse triangles.
                var points = new SKPoint[3];
                double start = rng.Uniform(0, 2 * Math.PI);
                for (int i = 0; i < 3; i++)
                {
                    double a = start + (i * 2 * Math.PI / 3) + rng.Uniform(-0.5, 0.5);
                    float radius = r * rng.UniformF(0.6, 1.0);
                    points[i] = new SKPoint(radius * (float)Math.Cos(a), radius * (float)Math.Sin(a));
                }

                path.AddPoly(points, close: true);
                break;
            }

            case SyntheticShape.Star:
            {
                int spikes = rng.Next(4, 9);
                float inner = r * rng.UniformF(0.3, 0.65);
                var points = new SKPoint[2 * spikes];
                for (int i = 0; i < points.Length; i++)
                {
                    double a = i * Math.PI / spikes;
                    float radius = i % 2 == 0 ? r : inner;
                    points[i] = new SKPoint(radius * (float)Math.Cos(a), radius * (float)Math.Sin(a));
                }

                path.AddPoly(points, close: true);
                break;
            }

            case SyntheticShape.Ring:
            {
                float ry = r * rng.UniformF(0.6, 1.0);
                float hole = rng.UniformF(0.35, 0.8);
                float dx = r * rng.UniformF(-0.1, 0.1), dy = ry * rng.UniformF(-0.1, 0.1);
                path.AddOval(new SKRect(-r, -ry, r, ry));
                path.AddOval(new SKRect(dx - (r * hole), dy - (ry * hole), dx + (r * hole), dy + (ry * hole)));
                break;
            }

            case SyntheticShape.Frame:
            {
                float hw = r, hh = r * rng.UniformF(0.5, 1.0);
                float border = Math.Max(2f, Math.Min(hw, hh) * rng.UniformF(0.15, 0.45));
                path.AddRect(new SKRect(-hw, -hh, hw, hh));
                path.AddRect(new SKRect(-hw + border, -hh + border, hw - border, hh - border));
                break;
            }

            case SyntheticShape.Bar:
            {
                // Long and thin: 2–7 px wide, up to most of the image long.
                float length = side * rng.UniformF(0.25, 0.9) / 2;
                float half = rng.UniformF(1.0, 3.5);
                path.AddRect(new SKRect(-length, -half, length, half));
                break;
            }

            case SyntheticShape.Blob:
            {
                // A smooth random radial outline (sum of low harmonics), often strongly concave.
                int n = 48;
                int harmonics = rng.Next(2, 6);
                var amp = new double[harmonics];
                var phase = new double[harmonics];
                for (int k = 0; k < harmonics; k++)
                {
                    amp[k] = rng.Uniform(0, 0.35 / (k + 1));
                    phase[k] = rng.Uniform(0, 2 * Math.PI);
                }

                var points = new SKPoint[n];
                for (int i = 0; i < n; i++)
                {
                    double a = i * 2 * Math.PI / n;
                    double rho = 1.0;
                    for (int k = 0; k < harmonics; k++)
                    {
                        rho += amp[k] * Math.Sin(((k + 2) * a) + phase[k]);
                    }

                    rho = Math.Max(0.25, rho);
                    points[i] = new SKPoint((float)(r * rho * Math.Cos(a)), (float)(r * rho * Math.Sin(a)));
                }

                path.AddPoly(points, close: true);
                break;
            }

            case SyntheticShape.Curve:
            {
                // A thin stroked cubic: elongated, bent, sometimes crossing itself.
                float length = side * rng.UniformF(0.2, 0.7);
                path.MoveTo(-length / 2, 0);
                path.CubicTo(
                    -length / 6, rng.UniformF(-0.6, 0.6) * length,
                    length / 6, rng.UniformF(-0.6, 0.6) * length,
                    length / 2, rng.UniformF(-0.3, 0.3) * length);
                strokeWidth = rng.UniformF(2.0, 6.0);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown synthetic shape");
        }

        var transform = SKMatrix.CreateRotationDegrees(angle).PostConcat(SKMatrix.CreateTranslation(cx, cy));
        path.Transform(in transform);
        return new SyntheticGeometry(shape, path, strokeWidth);
    }

    /// <summary>Paint settings for this geometry (fill or stroke), without colour.</summary>
    public void Configure(SKPaint paint)
    {
        paint.Style = StrokeWidth > 0 ? SKPaintStyle.Stroke : SKPaintStyle.Fill;
        paint.StrokeWidth = StrokeWidth;
        paint.StrokeCap = SKStrokeCap.Round;
    }
}
