using System.CommandLine;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Segmentation;

namespace QSam2.Segmenter.Commands;

/// <summary>
/// <c>sam2seg segment IMAGE [--model M] (--box x0,y0,x1,y1 | --point x,y[:label])... [--prompts FILE] [--multimask]
/// [--max-hole-area A] [--max-sprinkle-area A] [--format png|json|both] -o DIR</c>: see <see cref="SegmentRunner"/>.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create(ModelCatalog catalog)
    {
        var image = CommonOptions.Image();
        var model = CommonOptions.Model(catalog);
        var boxes = new Option<string[]>("--box") { Description = "box x0,y0,x1,y1 in image pixels; repeat for one object per box" };
        var points = new Option<string[]>("--point") { Description = "click x,y[:label] in image pixels, label 1 = foreground (default), 0 = background; repeatable" };
        var prompts = new Option<string>("--prompts") { Description = "samexporter-style JSON list of marks (one object), or a list of such lists (one object each)" };
        var multimask = new Option<bool>("--multimask") { Description = "return 3 candidate masks per object instead of 1" };
        var format = CommonOptions.Format();
        var maxHole = new Option<float>("--max-hole-area")
        {
            Description = "fill background holes of at most this many low-res (256×256) mask pixels, as SAM2's max_hole_area (default 0: off)",
        };
        var maxSprinkle = new Option<float>("--max-sprinkle-area")
        {
            Description = "remove foreground specks of at most this many low-res mask pixels, as SAM2's max_sprinkle_area (default 0: off)",
        };
        var output = CommonOptions.Output();
        var command = new Command("segment", "Segment objects in an image with box/point prompts")
        {
            image, model, boxes, points, prompts, multimask, maxHole, maxSprinkle, format, output,
        };
        command.SetAction(parse =>
        {
            var request = new SegmentRequest
            {
                ImagePath = parse.GetValue(image)!,
                ModelName = parse.GetValue(model)!,
                Boxes = parse.GetValue(boxes) ?? Array.Empty<string>(),
                Points = parse.GetValue(points) ?? Array.Empty<string>(),
                PromptsPath = parse.GetValue(prompts),
                Multimask = parse.GetValue(multimask),
                MaxHoleArea = parse.GetValue(maxHole),
                MaxSprinkleArea = parse.GetValue(maxSprinkle),
                Format = OutputFormats.Parse(parse.GetValue(format)!),
                OutputDirectory = parse.GetValue(output)!,
            };
            var result = SegmentRunner.Run(request, catalog);
            CommonOptions.Report(parse.InvocationConfiguration.Output, result, m => $"object {m.Object} mask {m.Candidate}");
            return ExitCodes.Success;
        });
        return command;
    }
}
