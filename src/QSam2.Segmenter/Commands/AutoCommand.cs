using System.CommandLine;
using System.Globalization;
using QSam2.Runtime.Segmenters.Automatic;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Segmentation;

namespace QSam2.Segmenter.Commands;

/// <summary>
/// <c>sam2seg auto IMAGE [--model M] [--points-per-side 32] [--pred-iou-thresh 0.8] [--stability-score-thresh 0.95]
/// [--box-nms-thresh 0.7] [--format png|json|both] -o DIR</c>: see <see cref="AutoRunner"/>.
/// </summary>
internal static class AutoCommand
{
    public static Command Create(ModelCatalog catalog)
    {
        var defaults = new AutoMaskOptions();
        var image = CommonOptions.Image();
        var model = CommonOptions.Model(catalog);
        var pointsPerSide = new Option<int>("--points-per-side") { Description = "grid of N×N single-click prompts (SAM2: points_per_side)", DefaultValueFactory = _ => defaults.PointsPerSide };
        var predIou = new Option<float>("--pred-iou-thresh") { Description = "keep masks whose predicted IoU is above this (SAM2: pred_iou_thresh)", DefaultValueFactory = _ => defaults.PredIouThresh };
        var stability = new Option<float>("--stability-score-thresh") { Description = "keep masks whose stability score is at least this (SAM2: stability_score_thresh)", DefaultValueFactory = _ => defaults.StabilityScoreThresh };
        var nms = new Option<float>("--box-nms-thresh") { Description = "box IoU above which the lower-scored mask is dropped (SAM2: box_nms_thresh)", DefaultValueFactory = _ => defaults.BoxNmsThresh };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var command = new Command("auto", "Segment everything: prompt a grid of points and keep the good, distinct masks (SAM2's automatic mask generator)")
        {
            image, model, pointsPerSide, predIou, stability, nms, format, output,
        };
        command.SetAction(parse =>
        {
            var options = defaults with
            {
                PointsPerSide = parse.GetValue(pointsPerSide),
                PredIouThresh = parse.GetValue(predIou),
                StabilityScoreThresh = parse.GetValue(stability),
                BoxNmsThresh = parse.GetValue(nms),
            };
            var result = AutoRunner.Run(parse.GetValue(image)!, parse.GetValue(model)!, options, OutputFormats.Parse(parse.GetValue(format)!),
                parse.GetValue(output)!, catalog);
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Masks.Count} masks from {options.PointsPerSide}×{options.PointsPerSide} points"));
            CommonOptions.Report(stdout, result, m => $"mask {m.Id}");
            return ExitCodes.Success;
        });
        return command;
    }
}
