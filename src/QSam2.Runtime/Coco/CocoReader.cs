using System.Collections.Immutable;
using System.Text.Json;

namespace QSam2.Runtime.Coco;

/// <summary>
/// Parses and validates a COCO annotation file with <see cref="JsonDocument"/> (no reflection, AOT-safe).
/// Unknown properties (<c>info</c>, <c>licenses</c>, <c>score</c> …) are ignored. The whole file is held
/// in memory, which is fine up to the size of COCO train2017 (~450 MB).
/// </summary>
internal static class CocoReader
{
    // COCO vertices sit on pixel edges, so x = width is legal, and real files carry rounding noise around
    // the border; anything further out than this is a wrong image size or a wrong coordinate system.
    private const double PolygonBorderTolerance = 1.0;

    public static CocoDataset Read(string file, string imageRoot)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CocoFormatException(file, $"cannot read the annotation file: {e.Message}", inner: e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new CocoFormatException(file,
                $"malformed JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {e.Message}", inner: e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CocoFormatException(file, $"the top level must be an object with images, annotations and categories, not {root.ValueKind}");
            }

            var images = ReadImages(file, imageRoot, RequiredArray(file, root, "images"));
            var categories = ReadCategories(file, RequiredArray(file, root, "categories"));
            var annotations = ReadAnnotations(file, RequiredArray(file, root, "annotations"), images, categories);
            return new CocoDataset(images, categories, annotations, imageRoot, file);
        }
    }

    private static List<CocoImage> ReadImages(string file, string imageRoot, JsonElement array)
    {
        var images = new List<CocoImage>(array.GetArrayLength());
        var seen = new HashSet<long>();
        int index = 0;
        foreach (var e in array.EnumerateArray())
        {
            string where = $"images[{index}]";
            RequireObject(file, e, where);
            long id = RequiredInt64(file, e, "id", where);
            where = $"image {id}";
            string fileName = RequiredString(file, e, "file_name", where);
            int width = RequiredPositiveInt(file, e, "width", where);
            int height = RequiredPositiveInt(file, e, "height", where);
            if (!seen.Add(id))
            {
                throw new CocoFormatException(file, $"{where}: id appears twice in images");
            }

            if (Path.IsPathRooted(fileName) || fileName.Split('/', '\\').Contains(".."))
            {
                throw new CocoFormatException(file, $"{where}: file_name '{fileName}' must be relative to the dataset folder");
            }

            if (CocoDataset.ResolveImagePath(imageRoot, fileName) is null)
            {
                throw new CocoFormatException(file,
                    $"{where}: image file '{fileName}' not found in {imageRoot} or its {CocoDataset.ImagesFolderName}/ folder");
            }

            images.Add(new CocoImage(id, fileName, width, height));
            index++;
        }

        return images;
    }

    private static List<CocoCategory> ReadCategories(string file, JsonElement array)
    {
        var categories = new List<CocoCategory>(array.GetArrayLength());
        var seen = new HashSet<long>();
        int index = 0;
        foreach (var e in array.EnumerateArray())
        {
            string where = $"categories[{index}]";
            RequireObject(file, e, where);
            long id = RequiredInt64(file, e, "id", where);
            where = $"category {id}";
            string name = RequiredString(file, e, "name", where);
            string? super = e.TryGetProperty("supercategory", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (!seen.Add(id))
            {
                throw new CocoFormatException(file, $"{where}: id appears twice in categories");
            }

            categories.Add(new CocoCategory(id, name, super));
            index++;
        }

        return categories;
    }

    private static List<CocoAnnotation> ReadAnnotations(string file, JsonElement array, List<CocoImage> images, List<CocoCategory> categories)
    {
        var imagesById = images.ToDictionary(i => i.Id);
        var categoryIds = categories.Select(c => c.Id).ToHashSet();
        var annotations = new List<CocoAnnotation>(array.GetArrayLength());
        var seen = new HashSet<long>();
        int index = 0;
        foreach (var e in array.EnumerateArray())
        {
            string where = $"annotations[{index}]";
            RequireObject(file, e, where);
            long id = RequiredInt64(file, e, "id", where);
            where = $"annotation {id}";
            if (!seen.Add(id))
            {
                throw Fail(file, id, "id appears twice in annotations");
            }

            long imageId = RequiredInt64(file, e, "image_id", where, id);
            if (!imagesById.TryGetValue(imageId, out var image))
            {
                throw Fail(file, id, $"image_id {imageId} is not in images");
            }

            long categoryId = RequiredInt64(file, e, "category_id", where, id);
            if (!categoryIds.Contains(categoryId))
            {
                throw Fail(file, id, $"category_id {categoryId} is not in categories");
            }

            if (!e.TryGetProperty("segmentation", out var segElement))
            {
                throw Fail(file, id, "missing 'segmentation'");
            }

            var segmentation = ReadSegmentation(file, id, segElement, image);
            // Polygons were range-checked and RLE sizes matched above, so the mask is only built when the
            // file leaves out bbox or area.
            CocoBox bbox = e.TryGetProperty("bbox", out var bboxElement)
                ? ReadBbox(file, id, bboxElement)
                : Rle.ToBbox(segmentation.ToRle(image.Height, image.Width));
            double area = e.TryGetProperty("area", out var areaElement)
                ? ReadNumber(file, id, areaElement, "area")
                : Rle.Area(segmentation.ToRle(image.Height, image.Width));
            bool isCrowd = e.TryGetProperty("iscrowd", out var crowdElement) && ReadFlag(file, id, crowdElement);
            annotations.Add(new CocoAnnotation
            {
                Id = id,
                Image = image,
                CategoryId = categoryId,
                Segmentation = segmentation,
                Bbox = bbox,
                Area = area,
                IsCrowd = isCrowd,
            });
            index++;
        }

        return annotations;
    }

    private static CocoSegmentation ReadSegmentation(string file, long id, JsonElement e, CocoImage image)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                return ReadPolygons(file, id, e, image);
            case JsonValueKind.Object:
                return new CocoRleSegmentation(ReadRle(file, id, e, image));
            default:
                throw Fail(file, id, $"segmentation must be a list of polygons or an RLE object, not {e.ValueKind}");
        }
    }

    private static CocoPolygonSegmentation ReadPolygons(string file, long id, JsonElement e, CocoImage image)
    {
        var polygons = new List<ImmutableArray<double>>();
        int p = 0;
        foreach (var polygon in e.EnumerateArray())
        {
            if (polygon.ValueKind != JsonValueKind.Array)
            {
                throw Fail(file, id, $"segmentation[{p}] must be a list of coordinates [x0, y0, x1, y1, ...], not {polygon.ValueKind}");
            }

            int n = polygon.GetArrayLength();
            if (n < 6 || n % 2 != 0)
            {
                throw Fail(file, id, $"polygon {p} has {n} coordinates; a polygon needs an even number, at least 6");
            }

            var xy = ImmutableArray.CreateBuilder<double>(n);
            int k = 0;
            foreach (var c in polygon.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw Fail(file, id, $"polygon {p} coordinate {k} is not a finite number");
                }

                double limit = k % 2 == 0 ? image.Width : image.Height;
                if (value < -PolygonBorderTolerance || value > limit + PolygonBorderTolerance)
                {
                    throw Fail(file, id,
                        $"polygon {p} vertex {k / 2} has {(k % 2 == 0 ? "x" : "y")} = {value}, outside the {image.Width}x{image.Height} image {image.Id}");
                }

                xy.Add(value);
                k++;
            }

            polygons.Add(xy.MoveToImmutable());
            p++;
        }

        if (polygons.Count == 0)
        {
            throw Fail(file, id, "segmentation is an empty polygon list");
        }

        return new CocoPolygonSegmentation(polygons);
    }

    private static RleMask ReadRle(string file, long id, JsonElement e, CocoImage image)
    {
        if (!e.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Array || size.GetArrayLength() != 2
            || !size[0].TryGetInt32(out int h) || !size[1].TryGetInt32(out int w))
        {
            throw Fail(file, id, "RLE segmentation needs 'size': [height, width]");
        }

        if (h != image.Height || w != image.Width)
        {
            throw Fail(file, id, $"RLE size [{h}, {w}] does not match image {image.Id} ({image.Height} high, {image.Width} wide)");
        }

        if (!e.TryGetProperty("counts", out var counts))
        {
            throw Fail(file, id, "RLE segmentation needs 'counts'");
        }

        if (counts.ValueKind == JsonValueKind.String)
        {
            try
            {
                return Rle.FromCompressedString(counts.GetString()!, h, w);
            }
            catch (FormatException ex)
            {
                throw Fail(file, id, $"compressed RLE counts: {ex.Message}", ex);
            }
        }

        if (counts.ValueKind != JsonValueKind.Array)
        {
            throw Fail(file, id, $"RLE counts must be a string or a list of integers, not {counts.ValueKind}");
        }

        var list = ImmutableArray.CreateBuilder<int>(counts.GetArrayLength());
        long sum = 0;
        int i = 0;
        foreach (var c in counts.EnumerateArray())
        {
            if (!c.TryGetInt32(out int run) || run < 0)
            {
                throw Fail(file, id, $"RLE count {i} is not a non-negative integer");
            }

            sum += run;
            list.Add(run);
            i++;
        }

        if (sum != (long)h * w)
        {
            throw Fail(file, id, $"RLE counts sum to {sum} but the mask is {h}x{w} = {(long)h * w} pixels");
        }

        return new RleMask(h, w, list.MoveToImmutable());
    }

    private static CocoBox ReadBbox(string file, long id, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 4)
        {
            throw Fail(file, id, "bbox must be [x, y, width, height]");
        }

        double x = ReadNumber(file, id, e[0], "bbox[0]"), y = ReadNumber(file, id, e[1], "bbox[1]");
        double w = ReadNumber(file, id, e[2], "bbox[2]"), h = ReadNumber(file, id, e[3], "bbox[3]");
        if (w < 0 || h < 0)
        {
            throw Fail(file, id, $"bbox has negative size {w}x{h}");
        }

        return new CocoBox(x, y, w, h);
    }

    private static double ReadNumber(string file, long id, JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw Fail(file, id, $"{field} must be a finite number");
        }

        return value;
    }

    private static bool ReadFlag(string file, long id, JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when e.TryGetInt32(out int v) && v is 0 or 1 => v == 1,
        _ => throw Fail(file, id, "iscrowd must be 0 or 1"),
    };

    private static JsonElement RequiredArray(string file, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e))
        {
            throw new CocoFormatException(file, $"missing top-level '{name}' array");
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new CocoFormatException(file, $"'{name}' must be an array, not {e.ValueKind}");
        }

        return e;
    }

    private static void RequireObject(string file, JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CocoFormatException(file, $"{where} must be an object, not {e.ValueKind}");
        }
    }

    private static long RequiredInt64(string file, JsonElement e, string name, string where, long? annotationId = null)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long value))
        {
            throw new CocoFormatException(file, $"{where}: '{name}' must be an integer", annotationId);
        }

        return value;
    }

    private static int RequiredPositiveInt(string file, JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int value) || value <= 0)
        {
            throw new CocoFormatException(file, $"{where}: '{name}' must be a positive integer");
        }

        return value;
    }

    private static string RequiredString(string file, JsonElement e, string name, string where)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.GetString()))
        {
            throw new CocoFormatException(file, $"{where}: '{name}' must be a non-empty string");
        }

        return v.GetString()!;
    }

    private static CocoFormatException Fail(string file, long id, string problem, Exception? inner = null) =>
        new(file, $"annotation {id}: {problem}", id, inner);
}
