using System.Text.Json;

namespace QSam2.Runtime.Coco;

/// <summary>
/// Writes a COCO annotation file with <see cref="Utf8JsonWriter"/> (AOT-safe). RLE masks are always
/// written in the compressed string form; polygons stay polygons. The file is written to a temporary
/// name next to the target and renamed over it, so readers never see a half-written file. Output is
/// byte-for-byte deterministic for the same input (numbers in shortest round-trip form, file order kept).
/// </summary>
public static class CocoWriter
{
    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> (an annotation file path).</summary>
    public static void Write(string path, CocoDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Write(path, dataset.Images, dataset.Categories, dataset.Annotations);
    }

    /// <summary>Writes images, categories and annotations to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<CocoImage> images, IReadOnlyList<CocoCategory> categories,
        IReadOnlyList<CocoAnnotation> annotations, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(annotations);

        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
            {
                WriteDocument(json, images, categories, annotations, description);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static void WriteDocument(Utf8JsonWriter json, IReadOnlyList<CocoImage> images, IReadOnlyList<CocoCategory> categories,
        IReadOnlyList<CocoAnnotation> annotations, string? description)
    {
        json.WriteStartObject();
        if (description is not null)
        {
            json.WriteStartObject("info");
            json.WriteString("description", description);
            json.WriteEndObject();
        }

        json.WriteStartArray("images");
        foreach (var image in images)
        {
            json.WriteStartObject();
            json.WriteNumber("id", image.Id);
            json.WriteString("file_name", image.FileName);
            json.WriteNumber("width", image.Width);
            json.WriteNumber("height", image.Height);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("categories");
        foreach (var category in categories)
        {
            json.WriteStartObject();
            json.WriteNumber("id", category.Id);
            json.WriteString("name", category.Name);
            if (category.Supercategory is not null)
            {
                json.WriteString("supercategory", category.Supercategory);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("annotations");
        foreach (var annotation in annotations)
        {
            json.WriteStartObject();
            json.WriteNumber("id", annotation.Id);
            json.WriteNumber("image_id", annotation.ImageId);
            json.WriteNumber("category_id", annotation.CategoryId);
            json.WritePropertyName("segmentation");
            WriteSegmentation(json, annotation);
            json.WriteNumber("area", annotation.Area);
            json.WriteStartArray("bbox");
            json.WriteNumberValue(annotation.Bbox.X);
            json.WriteNumberValue(annotation.Bbox.Y);
            json.WriteNumberValue(annotation.Bbox.Width);
            json.WriteNumberValue(annotation.Bbox.Height);
            json.WriteEndArray();
            json.WriteNumber("iscrowd", annotation.IsCrowd ? 1 : 0);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSegmentation(Utf8JsonWriter json, CocoAnnotation annotation)
    {
        switch (annotation.Segmentation)
        {
            case CocoPolygonSegmentation polygons:
                json.WriteStartArray();
                foreach (var polygon in polygons.Polygons)
                {
                    json.WriteStartArray();
                    foreach (double v in polygon)
                    {
                        json.WriteNumberValue(v);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                break;
            case CocoRleSegmentation rle:
                var mask = rle.ToRle(annotation.Image.Height, annotation.Image.Width); // checks the size
                json.WriteStartObject();
                json.WriteStartArray("size");
                json.WriteNumberValue(mask.Height);
                json.WriteNumberValue(mask.Width);
                json.WriteEndArray();
                json.WriteString("counts", Rle.ToCompressedString(mask));
                json.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"annotation {annotation.Id} has an unsupported segmentation type {annotation.Segmentation.GetType().Name}");
        }
    }
}
