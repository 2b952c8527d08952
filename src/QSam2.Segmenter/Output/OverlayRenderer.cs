using System.Runtime.InteropServices;
using QSam2.Runtime.Imaging;
using QSam2.Segmenter.Prompts;
using SkiaSharp;

namespace QSam2.Segmenter.Output;

/// <summary>
/// Draws the overlay PNG: the image with each mask tinted in its own colour (45 % opacity) and outlined, every box
/// prompt as a rectangle in its object's colour, and every click as a dot (green foreground, red background) with a
/// white rim. Line widths and dot sizes scale with the image so the overlay reads the same on small and large images.
/// </summary>
public static class OverlayRenderer
{
    private const float FillOpacity = 0.45f;

    public static byte[] RenderPng(RgbImage image, IReadOnlyList<SegmentedMask> masks, IReadOnlyList<ObjectPrompt> objects)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        var rgba = Tint(image, masks);

        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        if (bitmap.RowBytes != w * 4) throw new InvalidOperationException($"unexpected overlay row stride {bitmap.RowBytes} for width {w}");
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap))
        {
            DrawPrompts(canvas, w, h, masks, objects);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("PNG encoding of the overlay failed");
        return data.ToArray();
    }

    /// <summary>Line width in pixels for an image: 1 up to ~400 px on the short side, then growing.</summary>
    public static int LineWidth(int width, int height) => Math.Max(1, (int)MathF.Round(Math.Min(width, height) / 300f));

    private static byte[] Tint(RgbImage image, IReadOnlyList<SegmentedMask> masks)
    {
        int w = image.Width, h = image.Height, n = w * h;
        var rgb = image.Pixels;
        var rgba = new byte[n * 4];
        for (int p = 0; p < n; p++)
        {
            rgba[4 * p] = rgb[3 * p];
            rgba[4 * p + 1] = rgb[3 * p + 1];
            rgba[4 * p + 2] = rgb[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        int line = LineWidth(w, h);
        foreach (var m in masks)
        {
            var (r, g, b) = OverlayPalette.Mask(m.Id);
            for (int p = 0; p < n; p++)
            {
                if (m.Mask[p] == 0) continue;
                rgba[4 * p] = Blend(rgba[4 * p], r);
                rgba[4 * p + 1] = Blend(rgba[4 * p + 1], g);
                rgba[4 * p + 2] = Blend(rgba[4 * p + 2], b);
            }
        }
        // Contours after all fills, so an overlapping mask's tint never hides another mask's outline.
        foreach (var m in masks)
        {
            var (r, g, b) = OverlayPalette.Mask(m.Id);
            var contour = MaskContour.Find(m.Mask, w, h, line);
            for (int p = 0; p < n; p++)
            {
                if (contour[p] == 0) continue;
                rgba[4 * p] = r;
                rgba[4 * p + 1] = g;
                rgba[4 * p + 2] = b;
            }
        }
        return rgba;
    }

    private static byte Blend(byte under, byte over) => (byte)MathF.Round(under * (1 - FillOpacity) + over * FillOpacity);

    private static void DrawPrompts(SKCanvas canvas, int w, int h, IReadOnlyList<SegmentedMask> masks, IReadOnlyList<ObjectPrompt> objects)
    {
        float line = Math.Max(2, LineWidth(w, h) * 2);
        float radius = Math.Max(3f, Math.Min(w, h) / 80f);
        using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = line, IsAntialias = true };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        using var rim = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1f, radius / 3f), IsAntialias = true, Color = SKColors.White };
        for (int o = 0; o < objects.Count; o++)
        {
            var first = masks.FirstOrDefault(m => m.Object == o);
            var (r, g, b) = OverlayPalette.Mask(first?.Id ?? o);
            if (objects[o].Box is { } box)
            {
                stroke.Color = new SKColor(r, g, b);
                canvas.DrawRect(SKRect.Create(box.X0, box.Y0, box.X1 - box.X0, box.Y1 - box.Y0), stroke);
            }
            foreach (var p in objects[o].Points)
            {
                var (pr, pg, pb) = p.Label == 1 ? OverlayPalette.Foreground : OverlayPalette.Background;
                fill.Color = new SKColor(pr, pg, pb);
                canvas.DrawCircle(p.X, p.Y, radius, fill);
                canvas.DrawCircle(p.X, p.Y, radius, rim);
            }
        }
    }
}
