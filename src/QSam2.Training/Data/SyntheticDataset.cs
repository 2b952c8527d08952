using QSam2.Runtime.Coco;
using SkiaSharp;

namespace QSam2.Training.Data;

/// <summary>What <see cref="SyntheticDataset.Generate"/> wrote.</summary>
public sealed record SyntheticDatasetSummary(string AnnotationsPath, int Images, int Annotations);

/// <summary>
/// Writes a synthetic COCO instance-segmentation dataset: <c>dir/images/NNNNNN.png</c> and
/// <c>dir/annotations.json</c> (RLE masks of the visible object parts, boxes and areas measured from
/// them, the <see cref="SyntheticCategories"/>). The same seed gives byte-identical files.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>
    /// Renders <paramref name="count"/> images with <see cref="SyntheticImageRenderer"/> and writes them.
    /// The annotation file is written last (temp file + rename), so a folder with an
    /// <c>annotations.json</c> is always complete. <paramref name="progress"/> gets the number of images done.
    /// </summary>
    public static SyntheticDatasetSummary Generate(string dir, int count, ulong seed, int imageSize = 256, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "the dataset needs at least one image");
        }

        if (imageSize < 32 || imageSize > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "image size must be between 32 and 4096 pixels");
        }

        string imagesDir = Path.Combine(dir, CocoDataset.ImagesFolderName);
        Directory.CreateDirectory(imagesDir);

        var images = new List<CocoImage>(count);
        var annotations = new List<CocoAnnotation>();
        long annotationId = 1;
        for (int i = 0; i < count; i++)
        {
            var sample = SyntheticImageRenderer.Render(seed, i, imageSize);
            string fileName = $"{i + 1:D6}.png";
            File.WriteAllBytes(Path.Combine(imagesDir, fileName), EncodePng(sample));

            var image = new CocoImage(i + 1, fileName, sample.Width, sample.Height);
            images.Add(image);
            foreach (var obj in sample.Objects)
            {
                annotations.Add(CocoAnnotation.FromMask(annotationId++, image, (long)obj.Shape, obj.Mask));
            }

            progress?.Invoke(i + 1);
        }

        string annotationsPath = Path.Combine(dir, CocoDataset.AnnotationsFileName);
        CocoWriter.Write(annotationsPath, images, SyntheticCategories.All, annotations,
            $"QSam2 synthetic shapes: seed {seed}, {count} images, size {imageSize}");
        return new SyntheticDatasetSummary(annotationsPath, images.Count, annotations.Count);
    }

    /// <summary>PNG bytes of a sample's RGB pixels.</summary>
    public static byte[] EncodePng(SyntheticSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var bitmap = new SKBitmap(new SKImageInfo(sample.Width, sample.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> rgba = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        for (int y = 0; y < sample.Height; y++)
        {
            for (int x = 0; x < sample.Width; x++)
            {
                int s = ((y * sample.Width) + x) * 3, d = (y * stride) + (x * 4);
                rgba[d] = sample.Rgb[s];
                rgba[d + 1] = sample.Rgb[s + 1];
                rgba[d + 2] = sample.Rgb[s + 2];
                rgba[d + 3] = 255;
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
