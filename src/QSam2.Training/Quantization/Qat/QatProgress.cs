using System.Globalization;
using QSam2.Training.Training;

namespace QSam2.Training.Quantization.Qat;

/// <summary>What the QAT trainer reports after every step.</summary>
public sealed record QatProgress(int Step, int TotalSteps, double Loss, double Distill, double GroundTruth, double LearningRate, int Objects,
    double StepSeconds, int SessionSteps, double SessionSeconds)
{
    public double EtaSeconds => SessionSteps == 0 ? double.NaN : (TotalSteps - Step) * (SessionSeconds / SessionSteps);
}

/// <summary>
/// QAT progress on a text writer: on a terminal one bar redrawn in place; redirected (logs), one line every
/// <see cref="LogEverySteps"/> steps. The loss is smoothed (exponential moving average) since single steps are noisy.
/// </summary>
public sealed class QatProgressPrinter
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private double _smoothed = double.NaN;

    public QatProgressPrinter(TextWriter writer, bool interactive)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _interactive = interactive;
    }

    public int LogEverySteps { get; init; } = 20;

    public void Report(QatProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _smoothed = double.IsNaN(_smoothed) ? p.Loss : (0.9 * _smoothed) + (0.1 * p.Loss);
        if (_interactive)
        {
            _writer.Write("\r" + Line(p) + "   ");
            if (p.Step == p.TotalSteps) _writer.WriteLine();
        }
        else if (p.Step % LogEverySteps == 0 || p.Step == p.TotalSteps || p.SessionSteps == 1)
        {
            _writer.WriteLine(Line(p));
        }
        _writer.Flush();
    }

    private string Line(QatProgress p)
    {
        const int width = 24;
        int filled = (int)Math.Round((double)p.Step / Math.Max(1, p.TotalSteps) * width);
        return string.Create(CultureInfo.InvariantCulture,
            $"qat [{new string('#', filled)}{new string('.', width - filled)}] step {p.Step}/{p.TotalSteps} loss {_smoothed:0.0000} (distill {p.Distill:0.0000} gt {p.GroundTruth:0.0000}) lr {p.LearningRate:0.00e+0} {p.StepSeconds:0.00}s/step ETA {ConsoleProgressBar.Duration(p.EtaSeconds)}");
    }
}
