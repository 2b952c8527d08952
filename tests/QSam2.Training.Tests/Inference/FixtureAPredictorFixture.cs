using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Arch;
using QSam2.Tests.Shared;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;

namespace QSam2.Training.Tests.Inference;

/// <summary>fixture-a's model with its checkpoint loaded and its image set, shared by the predictor tests.</summary>
public sealed class FixtureAPredictorFixture : IDisposable
{
    public FixtureAPredictorFixture()
    {
        Reference = ReferenceFixture.A;
        var spec = ArchSpecReader.ReadFile(Path.Combine(ReferenceFixture.RepoRoot(), "tests", "fixtures", "fixture-a.arch.json"));
        Model = new Sam2Model(spec);
        Model.LoadStateDict(CheckpointReader.Read(Reference.CheckpointPath), Reference.CheckpointPath);
        Image = ImageCodec.Load(Reference.ImagePath);
        Predictor = new Sam2ImagePredictor(Model);
        Predictor.SetImage(Image);
    }

    public ReferenceFixture Reference { get; }

    public Sam2Model Model { get; }

    public RgbImage Image { get; }

    public Sam2ImagePredictor Predictor { get; }

    public void Dispose()
    {
        Predictor.Dispose();
        Model.Dispose();
    }
}
