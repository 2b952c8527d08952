using QSam2.Runtime.Coco;
using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>A reference object of an evaluation image (ground truth, or a pseudo-object from the reference model).</summary>
public sealed record EvalObject(long Id, string Category, BinaryMask Mask);

/// <summary>An image to evaluate; <see cref="LoadObjects"/> decodes its labelled objects (none for an unlabelled image).</summary>
public sealed record EvalImage(long Id, string Path, Func<IReadOnlyList<EvalObject>> LoadObjects);

/// <summary>
/// The images of an evaluation: a COCO dataset (folder with <c>annotations.json</c>, or the annotation file), or
/// — for label-free model-against-model comparison — a folder of image files without annotations.
/// </summary>
public static class EvalImageSet
{
    private static readonly string[] s_extensions = { ".png", ".jpg", ".jpeg", ".webp", ".bmp" };

    /// <summary>True when <paramref name="path"/> is a COCO dataset (has annotations).</summary>
    public static bool IsLabelled(string path) =>
        File.Exists(path) || File.Exists(System.IO.Path.Combine(path, CocoDataset.AnnotationsFileName));

    public static IReadOnlyList<EvalImage> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsLabelled(path)) return FromCoco(CocoDataset.Load(path));
        if (!Directory.Exists(path))
            throw new ArgumentException($"--data: {path} is neither a COCO dataset (folder with {CocoDataset.AnnotationsFileName}) nor a folder of images");
        var files = Directory.EnumerateFiles(path)
            .Concat(Directory.Exists(System.IO.Path.Combine(path, CocoDataset.ImagesFolderName))
                ? Directory.EnumerateFiles(System.IO.Path.Combine(path, CocoDataset.ImagesFolderName))
                : Enumerable.Empty<string>())
            .Where(f => s_extensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant()))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new ArgumentException($"--data: {path} holds no annotations and no image files");
        return files.Select((f, i) => new EvalImage(i, f, () => Array.Empty<EvalObject>())).ToList();
    }

    /// <summary>Labelled images in id order; crowd regions and empty masks are not evaluated.</summary>
    public static IReadOnlyList<EvalImage> FromCoco(CocoDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Images.OrderBy(i => i.Id).Select(image => new EvalImage(image.Id, data.ImagePath(image), () =>
            data.AnnotationsOf(image.Id)
                .Where(a => !a.IsCrowd)
                .Select(a => new EvalObject(a.Id, data.GetCategory(a.CategoryId).Name, new BinaryMask(image.Width, image.Height, a.DecodeMask())))
                .Where(o => o.Mask.Bounds() is not null)
                .ToList())).ToList();
    }
}
