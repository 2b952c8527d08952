using QSam2.Runtime.Coco;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Qat;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Simulation;
using QSam2.Training.Training;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

[Collection(SerialTorchCollection.Name)]
public sealed class QatTests : IDisposable
{
    private readonly TinyQuantSetup _setup;

    public QatTests()
    {
        // One thread from calibration on: the resume test compares runs bit for bit.
        TorchSharp.torch.set_num_threads(1);
        _setup = new TinyQuantSetup(images: 6);
    }

    public void Dispose() => _setup.Dispose();

    private static readonly QatOptions s_options = new() { Steps = 4, BatchSize = 2, ObjectsPerImage = 2, LearningRate = 1e-3, QuantizerLearningRate = 1e-2, SaveEvery = 1, Threads = 1 };

    private (Sam2Model Student, QuantSimulator Sim, Sam2Model Teacher) Setup(QatQuantizer quantizer)
    {
        var student = _setup.LoadModel();
        var teacher = _setup.LoadModel();
        var recipe = TinyQuantSetup.Recipe(2, 4, QuantMethod.Qat);
        var sim = QuantSimulator.Attach(student, _setup.Resolve(recipe));
        var stats = ActivationCalibration.Observe(sim, CalibrationImages.Load(_setup.Data, _setup.Spec.ImageSize), new[] { 0, 1 }, 0);
        QuantizerSetup.Qat(sim, stats, s_options with { Quantizer = quantizer });
        return (student, sim, teacher);
    }

    private TrainingDataSource Data => new(CocoDataset.Load(_setup.Data), _setup.Spec.ImageSize);

    private static float[] Flat(Sam2Model m) => m.ExportStateDict().Values.SelectMany(t => t.Data).ToArray();

    [Fact]
    public void Lsc_LearnsClipFactorsAndWeights_AndLossIsFinite()
    {
        var (student, sim, teacher) = Setup(QatQuantizer.Lsc);
        using (student)
        using (sim)
        using (teacher)
        {
            var alphas = sim.LearnedParameters().Select(p => p.item<float>()).ToArray();
            Assert.Equal(2 * sim.Layers.Count, alphas.Length);
            var before = Flat(student);
            var result = new QatTrainer(sim, teacher, Data, s_options, "k", null).Run(resume: false);
            Assert.Equal(4, result.Steps);
            Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
            var after = sim.LearnedParameters().Select(p => p.item<float>()).ToArray();
            Assert.True(alphas.Zip(after).Count(p => p.First != p.Second) > alphas.Length / 2, "most clip factors should have moved");
            Assert.NotEqual(before, Flat(student));
        }
    }

    [Fact]
    public void Interrupted_ThenResumed_EqualsAnUninterruptedRun()
    {
        float[] straight;
        var (s1, sim1, t1) = Setup(QatQuantizer.Lsc);
        using (s1)
        using (sim1)
        using (t1)
        {
            new QatTrainer(sim1, t1, Data, s_options, "k", null).Run(resume: false);
            straight = Flat(s1).Concat(sim1.LearnedParameters().Select(p => p.item<float>())).ToArray();
        }

        var state = Path.Combine(_setup.Dir, "qat-state");
        var (s2, sim2, t2) = Setup(QatQuantizer.Lsc);
        using (s2)
        using (sim2)
        using (t2)
        {
            using var cancel = new CancellationTokenSource();
            var first = new QatTrainer(sim2, t2, Data, s_options, "k", state).Run(false, p => { if (p.Step == 2) cancel.Cancel(); }, null, cancel.Token);
            Assert.Equal(2, first.Steps);
            Assert.False(first.Finished(s_options));
            // A fresh trainer without --resume refuses to overwrite the saved run.
            Assert.Throws<ArgumentException>(() => new QatTrainer(sim2, t2, Data, s_options, "k", state).Run(resume: false));
        }
        var (s3, sim3, t3) = Setup(QatQuantizer.Lsc);
        using (s3)
        using (sim3)
        using (t3)
        {
            var rest = new QatTrainer(sim3, t3, Data, s_options, "k", state).Run(resume: true);
            Assert.Equal(2, rest.StartStep);
            Assert.Equal(4, rest.Steps);
            var resumed = Flat(s3).Concat(sim3.LearnedParameters().Select(p => p.item<float>())).ToArray();
            double err = straight.Zip(resumed, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(err == 0, $"resumed run differs from the uninterrupted one by {err}");
        }
    }

    [Fact]
    public void MinMaxQat_HasNoLearnedClipFactors_AndTracksActivationRanges()
    {
        var (student, sim, teacher) = Setup(QatQuantizer.MinMax);
        using (student)
        using (sim)
        using (teacher)
        {
            Assert.Empty(sim.LearnedParameters());
            var layer = sim["image_encoder.trunk.blocks.0.attn.qkv"];
            var before = layer.ActivationQuantizer!.Export();
            new QatTrainer(sim, teacher, Data, s_options, "k", null).Run(resume: false);
            Assert.NotEqual(before, layer.ActivationQuantizer.Export());
        }
    }

    [Fact]
    public void LscWeightQuantizer_ClipIsMeanPlusAlphaSigma_PerChannel()
    {
        using var w = tensor(new float[] { 1, -1, 3, -3, 0.5f, 0.5f, 0.5f, 0.5f }).reshape(2, 4);
        var slicing = QSam2.Training.Quantization.Numerics.WeightSlicing.For(new long[] { 2, 4 }, 0, QSam2.Spec.Quant.QuantGranularity.PerChannel, 0, "w");
        var q = new LscWeightQuantizer(slicing, 4, w, alpha: 2.0, momentum: 0.1);
        // Row 0: μ = 0, σ = √5 → clip 2√5; row 1: μ = 0.5, σ = 0 → clip 0.5.
        var clip = q.ClipValues(w);
        Assert.Equal(2 * Math.Sqrt(5), clip[0], 5);
        Assert.Equal(0.5, clip[1], 6);
    }
}
