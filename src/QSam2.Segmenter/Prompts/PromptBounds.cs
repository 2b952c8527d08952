using System.Globalization;

namespace QSam2.Segmenter.Prompts;

/// <summary>
/// Checks prompts against the image they are for, before any model runs: every click and box corner must lie on the
/// image (0 ≤ x ≤ width, 0 ≤ y ≤ height, in pixels of the image as displayed, i.e. after EXIF orientation), boxes need
/// x0 &lt; x1 and y0 &lt; y1, and an object may not have more prompt points than the segmenter was compiled for.
/// </summary>
public static class PromptBounds
{
    public static void Check(IReadOnlyList<ObjectPrompt> objects, int width, int height, string imageName)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var o in objects)
        {
            if (o.Box is { } b)
            {
                Inside(b.Source, "x0", b.X0, width, "width", imageName);
                Inside(b.Source, "y0", b.Y0, height, "height", imageName);
                Inside(b.Source, "x1", b.X1, width, "width", imageName);
                Inside(b.Source, "y1", b.Y1, height, "height", imageName);
                if (!(b.X1 > b.X0) || !(b.Y1 > b.Y0))
                {
                    throw new UsageException($"{b.Source}: the box is empty; it needs x0 < x1 and y0 < y1 (x0,y0 = top-left, x1,y1 = bottom-right corner)");
                }
            }
            foreach (var p in o.Points)
            {
                Inside(p.Source, "x", p.X, width, "width", imageName);
                Inside(p.Source, "y", p.Y, height, "height", imageName);
            }
        }
    }

    /// <summary>Rejects objects with more prompt points (clicks + 2 per box) than <paramref name="maxPoints"/>.</summary>
    public static void CheckCount(IReadOnlyList<ObjectPrompt> objects, int maxPoints, string modelName)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var o in objects)
        {
            if (o.PromptPointCount > maxPoints)
            {
                throw new UsageException($"{o.Source}: {o.PromptPointCount} prompt points (a box counts 2) exceed the {maxPoints} that {modelName} was compiled for");
            }
        }
    }

    private static void Inside(string source, string name, float value, int size, string sizeName, string imageName)
    {
        if (value < 0 || value > size)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: {name} = {value} is outside the image ({imageName} is {sizeName} {size}; valid {name} is 0..{size})"));
        }
    }
}
