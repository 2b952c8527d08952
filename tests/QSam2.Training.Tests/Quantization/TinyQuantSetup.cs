using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Model;
using QSam2.Spec.Quant;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Tests.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

/// <summary>
/// The tiny SAM2 of the training tests with seeded random weights saved as a checkpoint, a tiny COCO dataset, and
/// helpers to resolve a quantization for it. Everything lives in a temp folder deleted on dispose.
/// </summary>
internal sealed class TinyQuantSetup : IDisposable
{
    public TinyQuantSetup(int images = 6, int seed = 5)
    {
        Dir = TinyTrainingSetup.TempDir("quant");
        Data = TinyTrainingSetup.CreateDataset(Path.Combine(Dir, "data"), images, seed);
        Checkpoint = Path.Combine(Dir, "tiny.pt");
        manual_seed(seed);
        using var model = new Sam2Model(Spec);
        CheckpointWriter.Write(Checkpoint, model.ExportStateDict());
    }

    /// <summary>The training tests' tiny SAM2 with one more stage-3 block, so its global block is not a q-pool block (the arch validation refuses that).</summary>
    public ArchSpec Spec { get; } = TinyTrainingSetup.Spec() with
    {
        Name = "tiny-quant",
        Trunk = TinyTrainingSetup.Spec().Trunk with { Stages = new[] { 1, 1, 2, 1 }, GlobalAttBlocks = new[] { 3 } },
    };

    public string Dir { get; }

    public string Data { get; }

    public string Checkpoint { get; }

    public ExpandedArch Expanded => ArchExpansion.Expand(Spec);

    public IReadOnlyList<QuantTarget> Targets => ImagePathStructure.QuantTargets(Expanded);

    public string ArchSha => ArchCanonicalText.Sha256Hex(Spec);

    public Sam2Model LoadModel()
    {
        var model = new Sam2Model(Spec);
        model.LoadStateDict(CheckpointReader.Read(Checkpoint), Checkpoint);
        model.eval();
        return model;
    }

    public static QuantRecipe Recipe(int weightBits, int activationBits, QuantMethod method = QuantMethod.Ptq, params QSam2.Spec.Quant.QuantLayerRule[] rules) => new()
    {
        Name = $"w{weightBits}a{activationBits}-test",
        Method = method,
        Defaults = new QuantLayerConfig { WeightBits = weightBits, ActivationBits = activationBits, Granularity = QuantGranularity.PerChannel },
        Rules = rules,
        Calibration = new CalibrationOptions { Images = 4 },
    };

    public QuantResolution Resolve(QuantRecipe recipe) => recipe.Resolve(Spec.Name, ArchSha, Targets);

    /// <summary>One normalized image input [1,3,S,S] (a data set image).</summary>
    public Tensor Input(int index = 0)
    {
        var images = QSam2.Training.Quantization.Calibration.CalibrationImages.Load(Data, Spec.ImageSize);
        return tensor(images.Input(index), new long[] { 1, 3, Spec.ImageSize, Spec.ImageSize });
    }

    /// <summary>Image embedding and box-prompt mask logits of a model for image <paramref name="index"/>.</summary>
    public (float[] Embedding, float[] Masks) Outputs(Sam2Model model, int index = 0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var f = model.ForwardImage(Input(index));
        var box = tensor(new float[] { 10, 12, 40, 50 }, new long[] { 1, 2, 2 });
        var labels = tensor(new[] { 2, 3 }, new long[] { 1, 2 });
        var o = model.PredictMasks(f, box, labels, null, multimaskOutput: true);
        return (f.ImageEmbed.contiguous().data<float>().ToArray(), o.Masks.contiguous().data<float>().ToArray());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
