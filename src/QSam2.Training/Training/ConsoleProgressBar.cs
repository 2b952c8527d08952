using System.Globalization;
using System.Text;

namespace QSam2.Training.Training;

/// <summary>
/// Progress of a training run on a text writer (stderr by default): on a terminal one bar redrawn in place
/// with the smoothed loss, the learning rate and the ETA; when redirected to a file (a background run's log),
/// one line every <see cref="LogEverySteps"/> steps and at each epoch end, so the log stays readable.
/// </summary>
public sealed class ConsoleProgressBar
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private double _smoothed = double.NaN;

    public ConsoleProgressBar(TextWriter? writer = null, bool? interactive = null)
    {
        _writer = writer ?? Console.Error;
        _interactive = interactive ?? (writer is null && !Console.IsErrorRedirected);
    }

    public int LogEverySteps { get; init; } = 20;

    public void Report(TrainingProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        // Exponential moving average: single-step losses of a few objects are noisy.
        _smoothed = double.IsNaN(_smoothed) ? p.Loss.Total : (0.95 * _smoothed) + (0.05 * p.Loss.Total);
        bool epochEnd = p.TotalSteps > 0 && p.Step % Math.Max(1, p.TotalSteps / Math.Max(1, p.Epochs)) == 0;
        if (_interactive)
        {
            _writer.Write("\r" + Line(p) + "   ");
            if (epochEnd || p.Step == p.TotalSteps) _writer.WriteLine();
        }
        else if (p.Step % LogEverySteps == 0 || epochEnd || p.Step == p.TotalSteps || p.SessionSteps == 1)
        {
            _writer.WriteLine(Line(p));
        }
        _writer.Flush();
    }

    public void Message(string text)
    {
        if (_interactive) _writer.WriteLine();
        _writer.WriteLine(text);
        _writer.Flush();
    }

    private string Line(TrainingProgress p)
    {
        const int width = 24;
        double frac = p.TotalSteps == 0 ? 1 : (double)p.Step / p.TotalSteps;
        int filled = (int)Math.Round(frac * width);
        var sb = new StringBuilder();
        sb.Append('[').Append('#', filled).Append('.', width - filled).Append(']');
        var l = p.Loss;
        sb.Append(CultureInfo.InvariantCulture,
            $" epoch {p.Epoch + 1}/{p.Epochs} step {p.Step}/{p.TotalSteps} loss {_smoothed:0.0000} (focal {l.Focal:0.000} dice {l.Dice:0.000} iou {l.Iou:0.000} obj {l.ObjectScore:0.000})");
        sb.Append(CultureInfo.InvariantCulture, $" lr {p.LearningRate:0.00e+0} {p.StepSeconds:0.00}s/step ETA {Duration(p.EtaSeconds)}");
        return sb.ToString();
    }

    public static string Duration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return "--:--";
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes:00}:{t.Seconds:00}");
    }
}
