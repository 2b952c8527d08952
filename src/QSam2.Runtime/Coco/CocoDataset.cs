namespace QSam2.Runtime.Coco;

/// <summary>
/// A COCO instance-segmentation dataset: images, categories and annotations, plus where the image files
/// are. <see cref="Load(string)"/> reads and validates a folder (or annotation file) completely, so every
/// annotation that comes out decodes to a mask of its image's size.
/// </summary>
public sealed class CocoDataset
{
    /// <summary>The conventional annotation file name inside a dataset folder.</summary>
    public const string AnnotationsFileName = "annotations.json";

    /// <summary>Sub-folder also searched for image files.</summary>
    public const string ImagesFolderName = "images";

    private readonly Dictionary<long, CocoImage> _imagesById;
    private readonly Dictionary<long, CocoCategory> _categoriesById;
    private readonly Dictionary<long, List<CocoAnnotation>> _annotationsByImage;

    /// <summary>The annotation file this dataset came from (null for one built in memory).</summary>
    public string? AnnotationsPath { get; }

    /// <summary>Folder that <c>file_name</c> is relative to (or to its <c>images/</c> sub-folder).</summary>
    public string ImageRoot { get; }

    public IReadOnlyList<CocoImage> Images { get; }

    public IReadOnlyList<CocoCategory> Categories { get; }

    public IReadOnlyList<CocoAnnotation> Annotations { get; }

    /// <summary>
    /// A dataset built in memory (e.g. to write with <see cref="CocoWriter"/>). Ids must be unique and every
    /// annotation's image and category must be in the lists.
    /// </summary>
    public CocoDataset(IReadOnlyList<CocoImage> images, IReadOnlyList<CocoCategory> categories,
        IReadOnlyList<CocoAnnotation> annotations, string imageRoot, string? annotationsPath = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(imageRoot);
        Images = images;
        Categories = categories;
        Annotations = annotations;
        ImageRoot = imageRoot;
        AnnotationsPath = annotationsPath;

        _imagesById = new Dictionary<long, CocoImage>(images.Count);
        foreach (var image in images)
        {
            if (!_imagesById.TryAdd(image.Id, image))
            {
                throw new ArgumentException($"image id {image.Id} appears twice", nameof(images));
            }
        }

        _categoriesById = new Dictionary<long, CocoCategory>(categories.Count);
        foreach (var category in categories)
        {
            if (!_categoriesById.TryAdd(category.Id, category))
            {
                throw new ArgumentException($"category id {category.Id} appears twice", nameof(categories));
            }
        }

        _annotationsByImage = new Dictionary<long, List<CocoAnnotation>>();
        var annotationIds = new HashSet<long>();
        foreach (var annotation in annotations)
        {
            if (!annotationIds.Add(annotation.Id))
            {
                throw new ArgumentException($"annotation id {annotation.Id} appears twice", nameof(annotations));
            }

            if (!_imagesById.TryGetValue(annotation.ImageId, out var image) || image != annotation.Image)
            {
                throw new ArgumentException($"annotation {annotation.Id} refers to image {annotation.ImageId}, which is not in the image list", nameof(annotations));
            }

            if (!_categoriesById.ContainsKey(annotation.CategoryId))
            {
                throw new ArgumentException($"annotation {annotation.Id} has category {annotation.CategoryId}, which is not in the category list", nameof(annotations));
            }

            if (!_annotationsByImage.TryGetValue(annotation.ImageId, out var list))
            {
                _annotationsByImage[annotation.ImageId] = list = new List<CocoAnnotation>();
            }

            list.Add(annotation);
        }
    }

    /// <summary>
    /// Loads a dataset. <paramref name="path"/> is a folder holding <c>annotations.json</c>, or the path of
    /// an annotation file; image <c>file_name</c>s are resolved against the file's folder, then its
    /// <c>images/</c> sub-folder. Throws <see cref="CocoFormatException"/> naming the file and the record
    /// for malformed JSON, missing fields, masks that do not fit their image, unknown image or category
    /// ids, and missing image files.
    /// </summary>
    public static CocoDataset Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Directory.Exists(path) ? Path.Combine(path, AnnotationsFileName) : path;
        string root = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        return CocoReader.Read(file, root);
    }

    /// <summary>Loads an annotation file whose images live under <paramref name="imageRoot"/> (official COCO layout).</summary>
    public static CocoDataset Load(string annotationsFile, string imageRoot)
    {
        ArgumentNullException.ThrowIfNull(annotationsFile);
        ArgumentNullException.ThrowIfNull(imageRoot);
        return CocoReader.Read(annotationsFile, imageRoot);
    }

    public CocoImage GetImage(long id) =>
        _imagesById.TryGetValue(id, out var image) ? image : throw new KeyNotFoundException($"no image with id {id}");

    public CocoCategory GetCategory(long id) =>
        _categoriesById.TryGetValue(id, out var category) ? category : throw new KeyNotFoundException($"no category with id {id}");

    /// <summary>The annotations of one image, in file order (empty if it has none).</summary>
    public IReadOnlyList<CocoAnnotation> AnnotationsOf(long imageId) =>
        _annotationsByImage.TryGetValue(imageId, out var list) ? list : Array.Empty<CocoAnnotation>();

    /// <summary>Where the image file is: <c>ImageRoot/file_name</c> if that exists, else <c>ImageRoot/images/file_name</c>.</summary>
    public string ImagePath(CocoImage image) => ResolveImagePath(ImageRoot, image.FileName) ?? Path.Combine(ImageRoot, image.FileName);

    internal static string? ResolveImagePath(string root, string fileName)
    {
        string direct = Path.Combine(root, fileName);
        if (File.Exists(direct))
        {
            return direct;
        }

        string nested = Path.Combine(root, ImagesFolderName, fileName);
        return File.Exists(nested) ? nested : null;
    }
}
