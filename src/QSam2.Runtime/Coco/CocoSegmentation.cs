using System.Collections.Immutable;

namespace QSam2.Runtime.Coco;

/// <summary>
/// The <c>segmentation</c> of a COCO annotation: polygons or a run-length encoding. Both turn into an
/// <see cref="RleMask"/> for the image they belong to.
/// </summary>
public abstract class CocoSegmentation
{
    private protected CocoSegmentation()
    {
    }

    /// <summary>The mask on an H×W image.</summary>
    public abstract RleMask ToRle(int height, int width);
}

/// <summary>
/// One or more polygons (flat <c>[x0, y0, x1, y1, ...]</c> lists in pixel coordinates); the object is
/// their union. Rasterized with <see cref="PolygonRasterizer"/> (pycocotools semantics).
/// </summary>
public sealed class CocoPolygonSegmentation : CocoSegmentation
{
    public IReadOnlyList<ImmutableArray<double>> Polygons { get; }

    public CocoPolygonSegmentation(IReadOnlyList<ImmutableArray<double>> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (polygons.Count == 0)
        {
            throw new ArgumentException("a polygon segmentation needs at least one polygon", nameof(polygons));
        }

        for (int i = 0; i < polygons.Count; i++)
        {
            if (polygons[i].IsDefault || polygons[i].Length < 6 || polygons[i].Length % 2 != 0)
            {
                throw new ArgumentException(
                    $"polygon {i} needs an even number (at least 6) of coordinates, got {(polygons[i].IsDefault ? 0 : polygons[i].Length)}",
                    nameof(polygons));
            }
        }

        Polygons = polygons;
    }

    public override RleMask ToRle(int height, int width) => PolygonRasterizer.Rasterize(Polygons, height, width);
}

/// <summary>A run-length encoded mask (read from compressed or uncompressed counts; always written compressed).</summary>
public sealed class CocoRleSegmentation : CocoSegmentation
{
    public RleMask Rle { get; }

    public CocoRleSegmentation(RleMask rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        Rle = rle;
    }

    public override RleMask ToRle(int height, int width)
    {
        if (Rle.Height != height || Rle.Width != width)
        {
            throw new InvalidOperationException($"RLE mask is {Rle.Height}x{Rle.Width} but the image is {height}x{width}");
        }

        return Rle;
    }
}
