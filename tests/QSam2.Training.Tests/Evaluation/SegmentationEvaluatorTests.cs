using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;
using QSam2.Training.Evaluation;
using QSam2.Training.Modeling;
using QSam2.Training.Tests.Training;
using QSam2.Training.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Evaluation;

public sealed class SegmentationEvaluatorTests : IDisposable
{
    private readonly string _dir = TinyTrainingSetup.TempDir("eval");
    private readonly string _data;

    public SegmentationEvaluatorTests()
    {
        _data = TinyTrainingSetup.CreateDataset(Path.Combine(_dir, "data"), 5, 21);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Returns, for each prompt, the labelled object whose evaluation prompt it is (or an empty mask).</summary>
    private sealed class OracleSegmenter(IReadOnlyList<EvalImage> images, EvalPromptKind kind, bool empty) : IPromptSegmenter
    {
        public IReadOnlyList<MaskPrediction> Predict(RgbImage image, IReadOnlyList<PromptPoints> prompts, bool multimask)
        {
            var objects = images.SelectMany(i => i.LoadObjects()).ToList();
            return prompts.Select(p =>
            {
                var match = objects.First(o => EvalPrompts.For(kind, o.Mask)!.Xy.SequenceEqual(p.Xy));
                var mask = empty ? new BinaryMask(image.Width, image.Height, new byte[image.Width * image.Height]) : match.Mask;
                return new MaskPrediction(mask, 0.5);
            }).ToList();
        }
    }

    [Theory]
    [InlineData(EvalPromptKind.Box)]
    [InlineData(EvalPromptKind.Point)]
    [InlineData(EvalPromptKind.Points3)]
    public void PerfectPredictorScoresOneAndEmptyPredictorZero(EvalPromptKind kind)
    {
        var images = EvalImageSet.Load(_data);
        var perfect = new SegmentationEvaluator().Evaluate(images, new OracleSegmenter(images, kind, empty: false), kind);
        var nothing = new SegmentationEvaluator().Evaluate(images, new OracleSegmenter(images, kind, empty: true), kind);
        int objects = CocoDataset.Load(_data).Annotations.Count;
        Assert.Equal(objects, perfect.Instances);
        Assert.Equal(1.0, perfect.MIou);
        Assert.Equal(0.0, nothing.MIou);
        Assert.Equal(objects, perfect.BySize.Sum(g => g.Count));
        Assert.Equal(new[] { "disk", "rectangle" }, perfect.ByCategory.Select(c => c.Name).Order());
    }

    private string RandomCheckpoint(int seed)
    {
        manual_seed(seed);
        using var model = new Sam2Model(TinyTrainingSetup.Spec());
        var path = Path.Combine(_dir, $"random{seed}.pt");
        CheckpointWriter.Write(path, model.ExportStateDict());
        return path;
    }

    [Theory]
    [InlineData(EvalPromptKind.Box)]
    [InlineData(EvalPromptKind.Point)]
    public void ModelAgainstItselfIsExactlyOne(EvalPromptKind kind)
    {
        var ckpt = RandomCheckpoint(1);
        using var a = Sam2Segmenter.Load(TinyTrainingSetup.Spec(), ckpt);
        using var b = Sam2Segmenter.Load(TinyTrainingSetup.Spec(), ckpt);
        var images = EvalImageSet.Load(_data);
        var report = new SegmentationEvaluator().Evaluate(images, a, kind, b, ckpt);
        Assert.True(report.Instances > 0);
        Assert.Equal(1.0, report.MIou);
    }

    [Fact]
    public void AgainstWorksOnUnlabelledImagesAndSeparatesDifferentModels()
    {
        // Only the image files, no annotations.
        var unlabelled = Path.Combine(_dir, "unlabelled");
        Directory.CreateDirectory(unlabelled);
        foreach (var f in Directory.GetFiles(Path.Combine(_data, "images"))) File.Copy(f, Path.Combine(unlabelled, Path.GetFileName(f)));
        var images = EvalImageSet.Load(unlabelled);
        Assert.Equal(5, images.Count);

        var ckpt1 = RandomCheckpoint(1);
        var ckpt2 = RandomCheckpoint(2);
        using var a = Sam2Segmenter.Load(TinyTrainingSetup.Spec(), ckpt1);
        using var b = Sam2Segmenter.Load(TinyTrainingSetup.Spec(), ckpt1);
        using var c = Sam2Segmenter.Load(TinyTrainingSetup.Spec(), ckpt2);
        var self = new SegmentationEvaluator().Evaluate(images, a, EvalPromptKind.Point, b, ckpt1);
        Assert.True(self.Instances > 0);
        Assert.Equal(1.0, self.MIou);
        var other = new SegmentationEvaluator().Evaluate(images, c, EvalPromptKind.Point, b, ckpt1);
        Assert.True(other.MIou < 1.0);
    }

    [Fact]
    public void FolderWithoutImagesIsAClearError()
    {
        var empty = Path.Combine(_dir, "nothing");
        Directory.CreateDirectory(empty);
        var e = Assert.Throws<ArgumentException>(() => EvalImageSet.Load(empty));
        Assert.Contains(empty, e.Message);
    }
}
