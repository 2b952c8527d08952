namespace QSam2.Segmenter.Output;

/// <summary>Distinct, saturated colours for masks (cycled), and the click marker colours.</summary>
public static class OverlayPalette
{
    private static readonly (byte R, byte G, byte B)[] s_colors =
    {
        (30, 144, 255), (255, 127, 14), (148, 103, 189), (255, 215, 0), (23, 190, 207),
        (227, 119, 194), (188, 189, 34), (140, 86, 75), (0, 128, 128), (255, 99, 71),
    };

    public static (byte R, byte G, byte B) Mask(int index) => s_colors[index % s_colors.Length];

    public static (byte R, byte G, byte B) Foreground => (0, 200, 0);

    public static (byte R, byte G, byte B) Background => (220, 20, 20);
}
