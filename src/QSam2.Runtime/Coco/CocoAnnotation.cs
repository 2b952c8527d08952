namespace QSam2.Runtime.Coco;

/// <summary>
/// One entry of a COCO file's <c>annotations</c> array: an object instance on one image. It keeps a
/// reference to its <see cref="CocoImage"/> so the mask can be decoded at the image's size.
/// </summary>
public sealed class CocoAnnotation
{
    public required long Id { get; init; }

    public required CocoImage Image { get; init; }

    public long ImageId => Image.Id;

    public required long CategoryId { get; init; }

    public required CocoSegmentation Segmentation { get; init; }

    /// <summary>XYWH box as stored in the file.</summary>
    public required CocoBox Bbox { get; init; }

    /// <summary>Area as stored in the file (pixels; for polygons COCO stores the polygon area).</summary>
    public required double Area { get; init; }

    public bool IsCrowd { get; init; }

    /// <summary>The mask as RLE at the image's size.</summary>
    public RleMask ToRle() => Segmentation.ToRle(Image.Height, Image.Width);

    /// <summary>The mask as row-major H×W bytes of 0/1.</summary>
    public byte[] DecodeMask() => Rle.Decode(ToRle());

    /// <summary>
    /// An annotation for a row-major H×W mask (nonzero = object) on <paramref name="image"/>: RLE
    /// segmentation, and the box and area measured from the mask.
    /// </summary>
    public static CocoAnnotation FromMask(long id, CocoImage image, long categoryId, ReadOnlySpan<byte> mask, bool isCrowd = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rle = Rle.Encode(mask, image.Height, image.Width);
        return new CocoAnnotation
        {
            Id = id,
            Image = image,
            CategoryId = categoryId,
            Segmentation = new CocoRleSegmentation(rle),
            Bbox = Rle.ToBbox(rle),
            Area = Rle.Area(rle),
            IsCrowd = isCrowd,
        };
    }
}
