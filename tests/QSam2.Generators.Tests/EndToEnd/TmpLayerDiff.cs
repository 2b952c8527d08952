using QSam2.Generators.Tests.Segmenters;
using QSam2.Runtime.Segmenters;
using QSam2.Spec.Quant.Qsw;
using Xunit.Abstractions;

namespace QSam2.Generators.Tests.EndToEnd;

public class TmpLayerDiff
{
    private readonly ITestOutputHelper _o;
    public TmpLayerDiff(ITestOutputHelper o) => _o = o;

    [Fact]
    public void Diff()
    {
        var res = FixtureQuantization.Resolve("fixture_a.w8a8.quant.json");
        var bytes = FixtureQuantization.Export(FixtureAW8A8Segmenter.QswLayout, res);
        var q = FixtureAW8A8Segmenter.Load(new MemoryStream(bytes), "x");
        var s = FixtureASegmenter.Load(new FakeQuantWeightSource(QswReader.Read(bytes, "x"), FixtureQuantization.ActivationBits(res)));
        var qi = new List<(string, float[])>();
        var si = new List<(string, float[])>();
        q.ObserveLayerInputs((l, x) => qi.Add((l.Name, x.ToArray())));
        s.ObserveLayerInputs((l, x) => si.Add((l.Name, x.ToArray())));
        q.SetImage(FixtureQuantization.Image);
        s.SetImage(FixtureQuantization.Image);
        var qa = qi.GroupBy(x => x.Item1).Select(g => (g.Key, g.SelectMany(x => x.Item2).ToArray())).ToList();
        var sa = si.GroupBy(x => x.Item1).Select(g => (g.Key, g.SelectMany(x => x.Item2).ToArray())).ToList();
        for (int i = 0; i < Math.Min(qa.Count, sa.Count) && i < 60; i++)
        {
            var (n1, a) = qa[i];
            var (n2, b) = sa[i];
            double m = b.Max(v => Math.Abs(v)) + 1e-9;
            double d = a.Length == b.Length ? a.Zip(b, (x, y) => Math.Abs(x - y)).Max() : -1;
            _o.WriteLine($"{n1} / {n2}: len {a.Length}/{b.Length} maxdiff {d:G3} rel {d / m:G3}");
        }
    }
}
