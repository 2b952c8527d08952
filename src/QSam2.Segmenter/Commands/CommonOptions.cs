using System.CommandLine;
using System.Globalization;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Output;
using QSam2.Segmenter.Segmentation;

namespace QSam2.Segmenter.Commands;

/// <summary>The options and the report that <c>segment</c> and <c>auto</c> share, so both read and print the same.</summary>
internal static class CommonOptions
{
    public static Argument<string> Image() => new("image") { Description = "image file (PNG, JPEG, WebP; EXIF orientation applied)" };

    public static Option<string> Model(ModelCatalog catalog) => new("--model", "-m")
    {
        Description = $"model to run ({string.Join(", ", catalog.Models.Select(m => m.Name))})",
        DefaultValueFactory = _ => catalog.DefaultModel,
    };

    public static Option<string> Format()
    {
        var format = new Option<string>("--format")
        {
            Description = "png: mask PNGs; json: COCO RLE JSON; both (default). The overlay PNG is always written",
            DefaultValueFactory = _ => "both",
        };
        format.AcceptOnlyFromAmong(OutputFormats.Names);
        return format;
    }

    public static Option<string> Output() => new("--output", "-o") { Description = "output folder (created if missing)", Required = true };

    /// <summary>One line per mask (label, predicted IoU, area, COCO bbox), then the files written.</summary>
    public static void Report(TextWriter stdout, SegmentResult result, Func<SegmentedMask, string> label)
    {
        foreach (var m in result.Masks)
        {
            var b = m.Bbox;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label(m)}: predicted IoU {m.PredictedIou:F4}, area {m.Area} px, bbox [{b.X}, {b.Y}, {b.Width}, {b.Height}]"));
        }
        foreach (var f in result.Files) stdout.WriteLine("wrote " + f);
    }
}
