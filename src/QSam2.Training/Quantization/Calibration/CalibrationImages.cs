using QSam2.Runtime.Imaging;
using QSam2.Training.Evaluation;

namespace QSam2.Training.Quantization.Calibration;

/// <summary>
/// The calibration images (<c>--calib DIR</c>): a COCO dataset folder or a plain folder of images, in a fixed order
/// (labels are not needed). Each image is read on demand with the predictor's own preprocessing.
/// </summary>
public sealed class CalibrationImages
{
    private readonly IReadOnlyList<string> _paths;

    public CalibrationImages(IReadOnlyList<string> paths, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("no calibration images");
        if (imageSize <= 0) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "image size must be positive");
        _paths = paths;
        ImageSize = imageSize;
    }

    /// <summary>Images of <paramref name="path"/> (COCO folder / annotation file, or a folder of image files).</summary>
    public static CalibrationImages Load(string path, int imageSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path) && !File.Exists(path)) throw new DirectoryNotFoundException($"--calib {path}: no such folder");
        return new CalibrationImages(EvalImageSet.Load(path).Select(i => i.Path).ToList(), imageSize);
    }

    public int ImageSize { get; }

    public int Count => _paths.Count;

    public string PathOf(int index) => _paths[index];

    /// <summary>Normalized model input <c>[3, S, S]</c> of image <paramref name="index"/>.</summary>
    public float[] Input(int index) => Sam2Preprocessing.ToModelInput(ImageCodec.Load(_paths[index]), ImageSize);
}
