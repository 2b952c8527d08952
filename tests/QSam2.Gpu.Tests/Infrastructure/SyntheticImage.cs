using QSam2.Runtime.Imaging;

namespace QSam2.Gpu.Tests.Infrastructure;

/// <summary>
/// A deterministic RGB test image (smooth gradients, a disc, a bar and fine stripes), so the end-to-end tests need no
/// file from outside the repository and run the same on a GPU machine.
/// </summary>
public static class SyntheticImage
{
    public static RgbImage Create(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                double r = 90 + 80 * u, g = 70 + 90 * v, b = 120 + 40 * Math.Sin(6 * u + 3 * v);
                double dx = u - 0.55, dy = v - 0.45;
                if (dx * dx + dy * dy < 0.04) (r, g, b) = (230, 200 - 60 * v, 40);
                if (x > width / 8 && x < width / 3 && y > height * 3 / 5 && y < height * 4 / 5) (r, g, b) = (30, 60, 200);
                if (y < height / 6 && (x / 4) % 2 == 0) (r, g, b) = (r * 0.5, g * 0.5, b * 0.5);
                int i = 3 * (y * width + x);
                rgb[i] = (byte)Math.Clamp(r, 0, 255);
                rgb[i + 1] = (byte)Math.Clamp(g, 0, 255);
                rgb[i + 2] = (byte)Math.Clamp(b, 0, 255);
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
