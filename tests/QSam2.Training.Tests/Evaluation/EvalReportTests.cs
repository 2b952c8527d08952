using System.Text.Json;
using QSam2.Training.Evaluation;
using QSam2.Training.Training;

namespace QSam2.Training.Tests.Evaluation;

public class EvalReportTests
{
    [Fact]
    public void MaskIouCountsIntersectionOverUnionAndEmptyPairsAgree()
    {
        var a = new BinaryMask(4, 1, new byte[] { 1, 1, 1, 0 });
        var b = new BinaryMask(4, 1, new byte[] { 0, 1, 1, 1 });
        Assert.Equal(0.5, MaskIou.Compute(a, b));
        var empty = new BinaryMask(4, 1, new byte[4]);
        Assert.Equal(1.0, MaskIou.Compute(empty, empty));
        Assert.Equal(0.0, MaskIou.Compute(a, empty));
    }

    [Fact]
    public void AggregatesBySizeCategoryAndCalibration()
    {
        var items = new[]
        {
            new InstanceResult(1, 1, "disk", 100, 0.9, 0.8),          // small
            new InstanceResult(1, 2, "star", 2000, 0.5, 0.6),         // medium
            new InstanceResult(2, 3, "disk", 20000, 0.7, 0.7),        // large
            new InstanceResult(2, 4, "star", 32 * 32, 0.3, 0.2),      // medium (area 32² is not small)
        };
        var r = EvalReport.FromInstances("box", "labels", 2, items, 1.5);
        Assert.Equal(0.6, r.MIou, 12);
        Assert.Equal(new[] { "small", "medium", "large" }, r.BySize.Select(g => g.Name));
        Assert.Equal(new[] { 1, 2, 1 }, r.BySize.Select(g => g.Count));
        Assert.Equal(0.4, r.BySize[1].MIou, 12);
        // Hardest category first.
        Assert.Equal("star", r.ByCategory[0].Name);
        Assert.Equal(0.4, r.ByCategory[0].MIou, 12);
        Assert.Equal(0.8, r.ByCategory[1].MIou, 12);
        Assert.Equal(0.075, r.IouPrediction.MeanAbsoluteError, 12);
        Assert.True(r.IouPrediction.Pearson > 0.9);

        using var doc = JsonDocument.Parse(EvalReportWriter.ToJson(r));
        Assert.Equal(0.6, doc.RootElement.GetProperty("miou").GetDouble(), 12);
        Assert.Equal(2, doc.RootElement.GetProperty("by_size").GetProperty("medium").GetProperty("count").GetInt32());
        Assert.Equal("star", doc.RootElement.GetProperty("by_category")[0].GetProperty("name").GetString());
        Assert.Contains("mIoU 0.6000", EvalReportWriter.ToText(r));
    }

    [Fact]
    public void NoInstancesGiveNullNumbers()
    {
        var r = EvalReport.FromInstances("box", "labels", 0, Array.Empty<InstanceResult>(), 0);
        using var doc = JsonDocument.Parse(EvalReportWriter.ToJson(r));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("miou").ValueKind);
    }
}
