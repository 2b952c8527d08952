using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;

namespace QSam2.Training.Training;

/// <summary>One training image: the normalised model input <c>[3,S,S]</c> and its object masks at S×S.</summary>
public sealed record TrainingImage(long ImageId, float[] Input, IReadOnlyList<BinaryMask> Objects);

/// <summary>
/// Training view of a COCO dataset: the images that have at least one non-crowd, non-empty object, each read
/// with the predictor's own preprocessing (<see cref="Sam2Preprocessing"/>) and with masks brought to the model
/// input size (nearest). Images are read on demand; the order is decided by <see cref="EpochOrder"/>.
/// </summary>
public sealed class TrainingDataSource
{
    private readonly CocoDataset _data;
    private readonly List<CocoImage> _images;

    public TrainingDataSource(CocoDataset data, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (imageSize <= 0) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "image size must be positive");
        _data = data;
        ImageSize = imageSize;
        _images = data.Images
            .Where(img => data.AnnotationsOf(img.Id).Any(a => !a.IsCrowd && a.Area > 0))
            .OrderBy(img => img.Id)
            .ToList();
        if (_images.Count == 0)
        {
            throw new ArgumentException(
                $"{data.AnnotationsPath ?? data.ImageRoot}: no image has a (non-crowd, non-empty) annotation to train on");
        }
    }

    public int ImageSize { get; }

    /// <summary>Number of usable images.</summary>
    public int Count => _images.Count;

    /// <summary>Reads image <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>) and its objects.</summary>
    public TrainingImage Load(int index)
    {
        var image = _images[index];
        var rgb = ImageCodec.Load(_data.ImagePath(image));
        if (rgb.Width != image.Width || rgb.Height != image.Height)
        {
            throw new CocoFormatException(_data.AnnotationsPath ?? _data.ImageRoot,
                $"image {image.Id} ('{image.FileName}') is {rgb.Width}x{rgb.Height} on disk but {image.Width}x{image.Height} in the annotations");
        }
        var input = Sam2Preprocessing.ToModelInput(rgb, ImageSize);
        var objects = new List<BinaryMask>();
        foreach (var a in _data.AnnotationsOf(image.Id))
        {
            if (a.IsCrowd) continue;
            var mask = new BinaryMask(image.Width, image.Height, a.DecodeMask()).ResizeNearest(ImageSize, ImageSize);
            // An object thinner than a model-input pixel can vanish in the resize; it has nothing to learn from.
            if (mask.Bounds() is not null) objects.Add(mask);
        }
        return new TrainingImage(image.Id, input, objects);
    }
}
