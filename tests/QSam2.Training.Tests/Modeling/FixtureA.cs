using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Arch;
using QSam2.Spec.Model;
using QSam2.Tests.Shared;
using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

/// <summary>
/// fixture-a's architecture, its checkpoint loaded strictly into a <see cref="Sam2Model"/>, and the image path run
/// once on the fixture's preprocessed tensor with every intermediate captured. Shared by the golden tests.
/// </summary>
internal sealed class FixtureA
{
    private static readonly Lazy<FixtureA> s_instance = new(() => new FixtureA(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static FixtureA Instance => s_instance.Value;

    /// <summary>fixture-a's reduced Hiera-T configuration, from <c>tests/fixtures/fixture-a.arch.json</c>.</summary>
    public static ArchSpec Spec() =>
        ArchSpecReader.ReadFile(Path.Combine(ReferenceFixture.RepoRoot(), "tests", "fixtures", "fixture-a" + ArchSpecReader.FileSuffix));

    private FixtureA()
    {
        Reference = ReferenceFixture.A;
        Checkpoint = CheckpointReader.Read(Reference.CheckpointPath);
        Model = new Sam2Model(Spec());
        Model.LoadStateDict(Checkpoint, Reference.CheckpointPath);
        Model.eval();
        ImageCapture = new ActivationCapture();
        using var noGrad = no_grad();
        using var image = Input("preprocessed");
        Features = Model.ForwardImage(image, ImageCapture);
    }

    public ReferenceFixture Reference { get; }

    public StateDict Checkpoint { get; }

    public Sam2Model Model { get; }

    public ActivationCapture ImageCapture { get; }

    public ImageFeatures Features { get; }

    /// <summary>A fixture float tensor as a TorchSharp tensor of the recorded shape.</summary>
    public Tensor Input(string name) =>
        tensor(Reference.Float(name), Reference.Shape(name).Select(d => (long)d).ToArray(), dtype: ScalarType.Float32);

    public void AssertClose(string name, Tensor actual, double rel = 1e-4) =>
        TensorAssert.Close(Reference.Float(name), Reference.Shape(name), actual, name, rel);
}
