using System.Globalization;
using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters.Automatic;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Segmentation;

/// <summary>
/// One <c>sam2seg auto</c> run ("segment everything", SAM2's automatic mask generator): checks the inputs, encodes the
/// image once, prompts every point of the grid, and writes the kept masks as <c>sam2seg segment</c> does, each
/// mask's prompt being its grid point. Nothing is written when an input is bad.
/// </summary>
public static class AutoRunner
{
    public static SegmentResult Run(string imagePath, string modelName, AutoMaskOptions options, OutputFormat format, string outputDirectory, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.Find(modelName);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
        StagedOutput.CheckTarget(outputDirectory);
        var image = ImageCodec.Load(imagePath);
        var segmenter = model.Open();
        segmenter.SetImage(image);
        var found = AutomaticMaskGenerator.Generate(segmenter, options);

        var objects = new List<ObjectPrompt>(found.Count);
        var masks = new List<SegmentedMask>(found.Count);
        for (int i = 0; i < found.Count; i++)
        {
            var m = found[i];
            string source = string.Create(CultureInfo.InvariantCulture, $"grid point ({m.PointX:0.#}, {m.PointY:0.#})");
            objects.Add(new ObjectPrompt(null, new[] { new PromptPoint(m.PointX, m.PointY, 1, source) }, source));
            masks.Add(new SegmentedMask(i, i, m.Candidate, objects[i], Rle.Decode(m.Rle), image.Width, image.Height, m.PredictedIou));
        }
        return SegmentRunner.Write(imagePath, outputDirectory, format, multimask: true, model, image, objects, masks);
    }
}
