using QSam2.Runtime.Checkpoints;
using QSam2.Segmenter.Models;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.Infrastructure;

/// <summary>
/// A catalog like the shipped one, but holding the official fixture-a model: "fixture-fp32" (default) runs the
/// fixture checkpoint packed into an FP32 .qsw with <see cref="Fp32QswPacker"/>; "fixture-absent" has no weights.
/// </summary>
internal static class TestCatalog
{
    public const string Model = "fixture-fp32";
    public const string AbsentModel = "fixture-absent";

    private static readonly Lazy<string> s_qsw = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"sam2seg-tests-{Environment.ProcessId}-fixture_a.fp32.qsw");
        var bytes = Fp32QswPacker.Pack(CheckpointReader.Read(ReferenceFixture.A.CheckpointPath), FixtureASegmenter.QswLayout, ReferenceFixture.A.CheckpointPath);
        File.WriteAllBytes(path, bytes);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    private static readonly Lazy<ModelCatalog> s_catalog = new(() => new ModelCatalog(new[]
    {
        new SegmenterModel(Model, ModelPrecision.Float32, FixtureASegmenter.Description, FixtureASegmenter.QswLayout,
            ModelWeights.FromFile(s_qsw.Value), FixtureASegmenter.Load),
        new SegmenterModel(AbsentModel, new ModelPrecision(4, 8), "fixture_a without weights", FixtureASegmenter.QswLayout,
            ModelWeights.FromFile(Path.Combine(Path.GetTempPath(), "sam2seg-tests-no-such-file.qsw")), FixtureASegmenter.Load),
    }, Model));

    public static ModelCatalog Catalog => s_catalog.Value;

    public static string QswPath => s_qsw.Value;
}
