using System.Globalization;
using System.Text;
using System.Text.Json;

namespace QSam2.Training.Evaluation;

/// <summary>Writes an <see cref="EvalReport"/> as JSON (<c>--json</c>) and as the text <c>qsam2 eval</c> prints.</summary>
public static class EvalReportWriter
{
    /// <summary>
    /// JSON with snake_case fields: <c>miou</c>, <c>by_size.{small,medium,large}.{count,miou}</c>,
    /// <c>by_category[]</c> (hardest first), <c>iou_prediction.{pearson,mae,mean_predicted,mean_actual}</c>.
    /// Undefined numbers (no instances) are written as null.
    /// </summary>
    public static string ToJson(EvalReport report, IReadOnlyDictionary<string, string>? provenance = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (provenance is not null)
                foreach (var (k, v) in provenance) w.WriteString(k, v);
            w.WriteString("prompt", report.Prompt);
            w.WriteString("reference", report.Reference);
            w.WriteNumber("images", report.Images);
            w.WriteNumber("instances", report.Instances);
            Number(w, "miou", report.MIou);
            w.WriteStartObject("by_size");
            foreach (var g in report.BySize)
            {
                w.WriteStartObject(g.Name);
                w.WriteNumber("count", g.Count);
                Number(w, "miou", g.MIou);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("by_category");
            foreach (var g in report.ByCategory)
            {
                w.WriteStartObject();
                w.WriteString("name", g.Name);
                w.WriteNumber("count", g.Count);
                Number(w, "miou", g.MIou);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("iou_prediction");
            Number(w, "pearson", report.IouPrediction.Pearson);
            Number(w, "mae", report.IouPrediction.MeanAbsoluteError);
            Number(w, "mean_predicted", report.IouPrediction.MeanPredicted);
            Number(w, "mean_actual", report.IouPrediction.MeanActual);
            w.WriteEndObject();
            w.WriteNumber("seconds", Math.Round(report.Seconds, 3));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the JSON to <paramref name="path"/> through a temporary file and a rename (no partial output).</summary>
    public static void WriteJson(string path, EvalReport report, IReadOnlyDictionary<string, string>? provenance = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, ToJson(report, provenance));
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Human-readable summary: overall mIoU, size classes, hardest categories, IoU-head calibration.</summary>
    public static string ToText(EvalReport report, int maxCategories = 10)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"prompt {report.Prompt}, reference {report.Reference}: {report.Instances} instances on {report.Images} images");
        sb.AppendLine(CultureInfo.InvariantCulture, $"mIoU {F(report.MIou)}");
        foreach (var g in report.BySize)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {g.Name,-8} {F(g.MIou)}  ({g.Count})");
        if (report.ByCategory.Count > 0)
        {
            sb.AppendLine("by category (hardest first):");
            foreach (var g in report.ByCategory.Take(maxCategories))
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {g.Name,-16} {F(g.MIou)}  ({g.Count})");
        }
        var c = report.IouPrediction;
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"predicted IoU vs true IoU: pearson {F(c.Pearson)}, MAE {F(c.MeanAbsoluteError)}, mean predicted {F(c.MeanPredicted)}, mean true {F(c.MeanActual)}");
        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
