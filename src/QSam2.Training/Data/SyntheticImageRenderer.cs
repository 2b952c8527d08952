using SkiaSharp;

namespace QSam2.Training.Data;

/// <summary>
/// Renders one synthetic instance-segmentation image: a textured background, 2–8 overlapping objects,
/// then optional blur and sensor noise. Everything random comes from a <see cref="DeterministicRandom"/>
/// stream derived from (seed, index), so an image does not depend on which others are rendered.
/// </summary>
/// <remarks>
/// Objects are painted anti-aliased and textured on the image, and separately filled without
/// anti-aliasing into a label map (later objects overwrite earlier ones), so each mask is exactly the
/// visible part of its object. Masks are bit-exact on any machine; image pixels are bit-exact for a given
/// machine and Skia build (Skia's raster pipeline picks SIMD code by CPU, which can move anti-aliased
/// edges and gradients by a level).
/// </remarks>
public static class SyntheticImageRenderer
{
    /// <summary>Objects whose visible part is smaller than this (pixels) are left out of the annotations.</summary>
    public const int MinVisibleArea = 30;

    private static readonly double[] BackgroundStyleWeights = { 0.15, 0.2, 0.15, 0.15, 0.1, 0.25 };
    private static readonly double[] ObjectStyleWeights = { 0.3, 0.2, 0.15, 0.1, 0.1, 0.15 };

    /// <summary>
    /// Renders image <paramref name="index"/> of the dataset seeded with <paramref name="seed"/>. Its size
    /// is <paramref name="imageSize"/> square about half the time, otherwise one of the non-square variants
    /// S×¾S, 1¼S×S, ¾S×S (width×height, rounded to multiples of 8).
    /// </summary>
    public static SyntheticSample Render(ulong seed, long index, int imageSize = 256)
    {
        if (imageSize < 32 || imageSize > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "image size must be between 32 and 4096 pixels");
        }

        var rng = DeterministicRandom.ForItem(seed, index);
        (int width, int height) = PickSize(rng, imageSize);
        var bounds = new SKRect(0, 0, width, height);

        using var image = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var maskBitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Alpha8, SKAlphaType.Premul));
        var labels = new int[width * height];
        var shapes = new List<SyntheticShape>();

        using (var canvas = new SKCanvas(image))
        using (var maskCanvas = new SKCanvas(maskBitmap))
        {
            SKColor backgroundMean = DrawBackground(canvas, rng, bounds);
            int objectCount = rng.Next(2, 9);
            for (int k = 0; k < objectCount; k++)
            {
                var shape = (SyntheticShape)rng.Next(1, 10);
                using var geometry = SyntheticGeometry.Create(shape, rng, width, height);
                DrawObject(canvas, rng, geometry, backgroundMean);
                RasterizeLabel(maskCanvas, maskBitmap, geometry, labels, k + 1);
                shapes.Add(shape);
            }
        }

        using var finished = rng.Chance(0.25) ? Blur(image, rng.UniformF(0.4, 1.2)) : image.Copy();
        byte[] rgb = ToRgbWithNoise(finished, rng, rng.Chance(0.7) ? rng.Uniform(1, 12) : 0);
        return new SyntheticSample(width, height, rgb, VisibleObjects(shapes, labels, width * height));
    }

    private static (int Width, int Height) PickSize(DeterministicRandom rng, int s) =>
        rng.Pick(stackalloc double[] { 0.5, 0.2, 0.15, 0.15 }) switch
        {
            0 => (s, s),
            1 => (s, RoundTo8(s * 3 / 4)),
            2 => (RoundTo8(s * 5 / 4), s),
            _ => (RoundTo8(s * 3 / 4), s),
        };

    private static int RoundTo8(int v) => Math.Max(8, (v + 4) / 8 * 8);

    private static SKColor DrawBackground(SKCanvas canvas, DeterministicRandom rng, SKRect bounds)
    {
        var style = (SyntheticFillStyle)rng.Pick(BackgroundStyleWeights);
        SKColor a = SyntheticFill.RandomColor(rng);
        // Half the backgrounds are two unrelated colours, half a subtle variation of one.
        SKColor b = rng.Chance(0.5) ? SyntheticFill.RandomColor(rng) : SyntheticFill.Near(rng, a, 10, 40);
        using var fill = SyntheticFill.Create(rng, style, a, b, bounds);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        fill.Apply(paint);
        canvas.DrawRect(bounds, paint);
        return fill.MeanColor;
    }

    private static void DrawObject(SKCanvas canvas, DeterministicRandom rng, SyntheticGeometry geometry, SKColor backgroundMean)
    {
        SKColor a, b;
        if (rng.Chance(0.2))
        {
            // Low contrast: both colours only a few levels away from the background's mean.
            a = SyntheticFill.Near(rng, backgroundMean, 8, 24);
            b = SyntheticFill.Near(rng, backgroundMean, 8, 24);
        }
        else
        {
            a = SyntheticFill.RandomColor(rng);
            b = rng.Chance(0.5) ? SyntheticFill.RandomColor(rng) : SyntheticFill.Near(rng, a, 15, 60);
        }

        var style = (SyntheticFillStyle)rng.Pick(ObjectStyleWeights);
        var area = geometry.Path.Bounds;
        area.Inflate(geometry.StrokeWidth, geometry.StrokeWidth);
        using var fill = SyntheticFill.Create(rng, style, a, b, area);
        using var paint = new SKPaint { IsAntialias = true };
        geometry.Configure(paint);
        fill.Apply(paint);
        canvas.DrawPath(geometry.Path, paint);
    }

    /// <summary>Fills the geometry without anti-aliasing and writes <paramref name="label"/> where it covers.</summary>
    private static void RasterizeLabel(SKCanvas maskCanvas, SKBitmap maskBitmap, SyntheticGeometry geometry, int[] labels, int label)
    {
        maskCanvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { IsAntialias = false, Color = SKColors.White };
        geometry.Configure(paint);
        maskCanvas.DrawPath(geometry.Path, paint);

        int width = maskBitmap.Width, height = maskBitmap.Height;
        var box = geometry.Path.Bounds;
        float pad = geometry.StrokeWidth + 2;
        int x0 = Math.Max(0, (int)Math.Floor(box.Left - pad)), x1 = Math.Min(width, (int)Math.Ceiling(box.Right + pad));
        int y0 = Math.Max(0, (int)Math.Floor(box.Top - pad)), y1 = Math.Min(height, (int)Math.Ceiling(box.Bottom + pad));
        ReadOnlySpan<byte> coverage = maskBitmap.GetPixelSpan();
        int stride = maskBitmap.RowBytes;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                if (coverage[(y * stride) + x] >= 128)
                {
                    labels[(y * width) + x] = label;
                }
            }
        }
    }

    private static SKBitmap Blur(SKBitmap source, float sigma)
    {
        var target = new SKBitmap(source.Info);
        using var canvas = new SKCanvas(target);
        using var filter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp);
        using var paint = new SKPaint { ImageFilter = filter };
        canvas.DrawBitmap(source, 0, 0, paint);
        return target;
    }

    private static byte[] ToRgbWithNoise(SKBitmap bitmap, DeterministicRandom rng, double sigma)
    {
        // Sensor noise: per channel, the sum of four random bytes (Irwin–Hall, close to a normal
        // distribution) scaled to unit variance. Eight bytes per 64-bit draw keep this cheap next to
        // Box–Muller's log and cosine per value.
        const double IrwinHallScale = 147.80; // sqrt(4 · (256² − 1) / 12)
        int width = bitmap.Width, height = bitmap.Height, stride = bitmap.RowBytes;
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        double scale = sigma / IrwinHallScale;
        ulong bits = 0;
        bool haveHalf = false;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = rgba[(y * stride) + (x * 4) + c];
                    if (sigma > 0)
                    {
                        if (!haveHalf)
                        {
                            bits = rng.NextUInt64();
                        }

                        int sum = (int)(bits & 0xFF) + (int)((bits >> 8) & 0xFF) + (int)((bits >> 16) & 0xFF) + (int)((bits >> 24) & 0xFF);
                        bits >>= 32;
                        haveHalf = !haveHalf;
                        v += (sum - 510) * scale;
                    }

                    rgb[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }
            }
        }

        return rgb;
    }

    private static List<SyntheticObject> VisibleObjects(List<SyntheticShape> shapes, int[] labels, int pixels)
    {
        var areas = new int[shapes.Count + 1];
        foreach (int label in labels)
        {
            areas[label]++;
        }

        var objects = new List<SyntheticObject>();
        for (int k = 0; k < shapes.Count; k++)
        {
            if (areas[k + 1] < MinVisibleArea)
            {
                continue;
            }

            var mask = new byte[pixels];
            for (int i = 0; i < pixels; i++)
            {
                mask[i] = labels[i] == k + 1 ? (byte)1 : (byte)0;
            }

            objects.Add(new SyntheticObject(shapes[k], mask, areas[k + 1]));
        }

        return objects;
    }
}
