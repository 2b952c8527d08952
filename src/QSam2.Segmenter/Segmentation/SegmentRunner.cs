using QSam2.Runtime.Imaging;
using QSam2.Runtime.Segmenters;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Prompts;

namespace QSam2.Segmenter.Segmentation;

/// <summary>
/// One <c>sam2seg segment</c> run: checks every input (model name, prompts, image, prompt positions, output folder)
/// before any model runs, encodes the image once, decodes every object from that embedding, then writes all files
/// into a staging folder and moves them into the output folder together. Any failure leaves the folder untouched.
/// </summary>
public static class SegmentRunner
{
    public static SegmentResult Run(SegmentRequest request, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.Find(request.ModelName);
        if (request.PromptsPath != null && (request.Boxes.Count > 0 || request.Points.Count > 0))
        {
            throw new UsageException("give prompts either on the command line (--box/--point) or in a --prompts file, not both");
        }
        var objects = request.PromptsPath != null
            ? PromptFile.Read(request.PromptsPath)
            : CommandLinePrompts.Parse(request.Boxes, request.Points);
        if (objects.Count == 0) throw new UsageException("no prompt: give --box x0,y0,x1,y1, --point x,y[:label] or --prompts FILE");
        CheckArea("--max-hole-area", request.MaxHoleArea);
        CheckArea("--max-sprinkle-area", request.MaxSprinkleArea);
        StagedOutput.CheckTarget(request.OutputDirectory);

        var image = ImageCodec.Load(request.ImagePath);
        PromptBounds.Check(objects, image.Width, image.Height, request.ImagePath);

        var segmenter = model.Open();
        PromptBounds.CheckCount(objects, segmenter.Info.MaxPromptPoints, model.Name);
        segmenter.MaxHoleArea = request.MaxHoleArea;
        segmenter.MaxSprinkleArea = request.MaxSprinkleArea;
        segmenter.SetImage(image);
        var masks = Predict(segmenter, objects, request.Multimask);

        return Write(request.ImagePath, request.OutputDirectory, request.Format, request.Multimask, model, image, objects, masks);
    }

    private static void CheckArea(string option, float value)
    {
        if (!(value >= 0) || !float.IsFinite(value))
            throw new UsageException($"{option} {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: give an area in low-res mask pixels, a finite number >= 0 (0 disables)");
    }

    /// <summary>Decodes every object on the current image; masks are numbered object-major.</summary>
    public static IReadOnlyList<SegmentedMask> Predict(Sam2SegmenterBase segmenter, IReadOnlyList<ObjectPrompt> objects, bool multimask)
    {
        var masks = new List<SegmentedMask>();
        for (int o = 0; o < objects.Count; o++)
        {
            var r = segmenter.Predict(objects[o].ToSam2Prompt(multimask));
            int plane = r.Height * r.Width;
            for (int c = 0; c < r.Count; c++)
            {
                var mask = r.Masks.AsSpan(c * plane, plane).ToArray();
                masks.Add(new SegmentedMask(masks.Count, o, c, objects[o], mask, r.Width, r.Height, r.IouPredictions[c]));
            }
        }
        return masks;
    }

    /// <summary>Writes mask PNGs, the overlay and the JSON into a staging folder, then moves them into the output folder together.</summary>
    internal static SegmentResult Write(string imagePath, string outputDirectory, OutputFormat format, bool multimask, SegmenterModel model, RgbImage image,
        IReadOnlyList<ObjectPrompt> objects, IReadOnlyList<SegmentedMask> masks)
    {
        var names = new OutputNames(imagePath);
        bool pngs = format.HasFlag(OutputFormat.Png), json = format.HasFlag(OutputFormat.Json);
        var files = new List<string>();
        using var staged = new StagedOutput(outputDirectory);
        if (pngs)
        {
            foreach (var m in masks)
            {
                MaskPng.Save(staged.File(names.Mask(m.Id)), m.Mask, m.Width, m.Height);
                files.Add(names.Mask(m.Id));
            }
        }
        File.WriteAllBytes(staged.File(names.Overlay), OverlayRenderer.RenderPng(image, masks, objects));
        files.Add(names.Overlay);
        if (json)
        {
            File.WriteAllText(staged.File(names.Json), SegmentationJson.Write(imagePath, image.Width, image.Height, model, multimask, masks, names, pngs));
            files.Add(names.Json);
        }
        staged.Commit();

        string dir = Path.GetFullPath(outputDirectory);
        return new SegmentResult(masks, files.Select(f => Path.Combine(dir, f)).ToList(), Path.Combine(dir, names.Overlay),
            json ? Path.Combine(dir, names.Json) : null);
    }
}
