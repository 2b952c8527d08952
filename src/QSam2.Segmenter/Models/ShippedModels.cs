namespace QSam2.Segmenter.Models;

/// <summary>
/// The models built into sam2seg: sam2_mini at FP32, W8A8, W4A8 and W2A4, each a generated segmenter with its
/// <c>.qsw</c> embedded as the manifest resource <c>weights/&lt;name&gt;.qsw</c> (ShippedWeights.targets).
/// </summary>
public static class ShippedModels
{
    public const string DefaultModel = "mini-w4a8";

    private static readonly Lazy<ModelCatalog> s_catalog = new(Build);

    public static ModelCatalog Catalog => s_catalog.Value;

    private static ModelCatalog Build()
    {
        var models = new List<SegmenterModel>
        {
            Embedded("mini-fp32", ModelPrecision.Float32, MiniFp32Segmenter.Description, MiniFp32Segmenter.QswLayout, MiniFp32Segmenter.Load),
            Embedded("mini-w8a8", new ModelPrecision(8, 8), MiniW8A8Segmenter.Description, MiniW8A8Segmenter.QswLayout, MiniW8A8Segmenter.Load),
            Embedded("mini-w4a8", new ModelPrecision(4, 8), MiniW4A8Segmenter.Description, MiniW4A8Segmenter.QswLayout, MiniW4A8Segmenter.Load),
#if SAM2SEG_W2A4
            Embedded("mini-w2a4", new ModelPrecision(2, 4), MiniW2A4Segmenter.Description, MiniW2A4Segmenter.QswLayout, MiniW2A4Segmenter.Load),
#endif
        };
        return new ModelCatalog(models, DefaultModel);
    }

    private static SegmenterModel Embedded(string name, ModelPrecision precision, string description, QSam2.Spec.Quant.Qsw.QswLayout layout,
        Func<Stream, string, Runtime.Segmenters.Sam2SegmenterBase> load) =>
        new(name, precision, description, layout, ModelWeights.Embedded(typeof(ShippedModels).Assembly, $"weights/{name}.qsw"), load);
}
