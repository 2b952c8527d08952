using QSam2.Training.Quantization.Reporting;

namespace QSam2.Training.Quantization.Pipeline;

/// <summary>The files a quantization run produces, in memory (the caller writes them atomically).</summary>
public sealed record QuantizeResult(string Name, string SpecFileName, string SpecJson, string WeightsFileName, byte[] Weights, string WeightsSha256, QuantReport Report)
{
    public string ReportMarkdownFileName => Name + ".report.md";

    public string ReportJsonFileName => Name + ".report.json";
}
