using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Coco;
using QSam2.Training.Training;

namespace QSam2.Training.Tests.Training;

public class TrainerTests
{
    private static TrainOptions Options(int epochs, long? maxSteps = null) => new()
    {
        Epochs = epochs,
        BatchSize = 2,
        ObjectsPerImage = 3,
        LearningRate = 3e-3,
        WarmupSteps = 2,
        Seed = 5,
        Threads = 1,
        MaxSteps = maxSteps,
        // Exercise the correction path often in these short runs.
        Prompts = new PromptPolicy { CorrectionProbability = 0.5 },
    };

    [Fact]
    public void StopAndResumeContinuesTheExactLossTrajectory()
    {
        var dir = TinyTrainingSetup.TempDir("resume");
        try
        {
            var data = new TrainingDataSource(CocoDataset.Load(TinyTrainingSetup.CreateDataset(Path.Combine(dir, "data"), 6, 1)), 64);
            var spec = TinyTrainingSetup.Spec();

            // Uninterrupted: 2 epochs of 3 steps.
            var full = new Sam2Trainer(spec, data, Options(2), Path.Combine(dir, "full.pt")).Run(resume: false);
            Assert.True(full.Finished);
            Assert.Equal(6, full.StepLosses.Count);

            // Interrupted after 4 steps (mid-epoch 2), then resumed in a fresh trainer and model.
            var ckpt = Path.Combine(dir, "split.pt");
            var first = new Sam2Trainer(spec, data, Options(2, maxSteps: 4), ckpt).Run(resume: false);
            Assert.False(first.Finished);
            Assert.Equal(4, first.Step);
            var state = TrainingState.Read(TrainingState.PathFor(ckpt));
            Assert.Equal(4, state.Step);
            Assert.Equal(1, state.EpochsCompleted);

            var second = new Sam2Trainer(spec, data, Options(2), ckpt).Run(resume: true);
            Assert.Equal(4, second.StartStep);
            Assert.True(second.Finished);
            var resumed = first.StepLosses.Concat(second.StepLosses).ToList();
            Assert.Equal(full.StepLosses.Count, resumed.Count);
            for (int i = 0; i < resumed.Count; i++)
                Assert.True(Math.Abs(full.StepLosses[i] - resumed[i]) <= 1e-5 * Math.Max(1, Math.Abs(full.StepLosses[i])),
                    $"step {i + 1}: uninterrupted {full.StepLosses[i]} vs resumed {resumed[i]}");

            // Both runs end with the same weights, saved in the official layout.
            var a = CheckpointReader.Read(Path.Combine(dir, "full.pt"));
            var b = CheckpointReader.Read(ckpt);
            Assert.Equal(a.Keys, b.Keys);
            foreach (var key in a.Keys)
                for (int i = 0; i < a[key].Data.Length; i++)
                    Assert.True(Math.Abs(a[key].Data[i] - b[key].Data[i]) <= 1e-5f, $"{key}[{i}] differs");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// --init starts from the given weights: after one Adam step (≈1.5e-3 per element at this learning rate) the
    /// weights are still within 0.01 of the init checkpoint, while the seeded random start is far from it; a file that
    /// is not a checkpoint is refused, naming the file.
    /// </summary>
    [Fact]
    public void InitCheckpoint_StartsFromItsWeights()
    {
        var dir = TinyTrainingSetup.TempDir("init");
        try
        {
            var data = new TrainingDataSource(CocoDataset.Load(TinyTrainingSetup.CreateDataset(Path.Combine(dir, "data"), 6, 1)), 64);
            var spec = TinyTrainingSetup.Spec();
            var trained = Path.Combine(dir, "trained.pt");
            new Sam2Trainer(spec, data, Options(1), trained).Run(resume: false);

            var fromInit = Path.Combine(dir, "from-init.pt");
            new Sam2Trainer(spec, data, Options(1, maxSteps: 1) with { Seed = 9, InitCheckpoint = trained }, fromInit).Run(resume: false);
            var fromSeed = Path.Combine(dir, "from-seed.pt");
            new Sam2Trainer(spec, data, Options(1, maxSteps: 1) with { Seed = 9 }, fromSeed).Run(resume: false);

            var reference = CheckpointReader.Read(trained);
            double MaxDiff(string path)
            {
                var w = CheckpointReader.Read(path);
                return reference.Keys.Max(key => reference[key].Data.Zip(w[key].Data, (x, y) => (double)Math.Abs(x - y)).DefaultIfEmpty(0).Max());
            }
            Assert.InRange(MaxDiff(fromInit), 0, 0.01);
            Assert.True(MaxDiff(fromSeed) > 0.05, $"a random start is expected far from the trained weights, got {MaxDiff(fromSeed)}");

            var notACheckpoint = Path.Combine(dir, "data", "annotations.json");
            var e = Assert.ThrowsAny<Exception>(() =>
                new Sam2Trainer(spec, data, Options(1, maxSteps: 1) with { InitCheckpoint = notACheckpoint }, Path.Combine(dir, "bad.pt")).Run(resume: false));
            Assert.Contains("annotations.json", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RefusesToOverwriteAResumableRunWithoutResume()
    {
        var dir = TinyTrainingSetup.TempDir("overwrite");
        try
        {
            var data = new TrainingDataSource(CocoDataset.Load(TinyTrainingSetup.CreateDataset(Path.Combine(dir, "data"), 2, 2)), 64);
            var ckpt = Path.Combine(dir, "m.pt");
            new Sam2Trainer(TinyTrainingSetup.Spec(), data, Options(1, maxSteps: 1), ckpt).Run(resume: false);
            var e = Assert.Throws<ArgumentException>(() => new Sam2Trainer(TinyTrainingSetup.Spec(), data, Options(1), ckpt).Run(resume: false));
            Assert.Contains("--resume", e.Message);
            var changed = Options(1) with { Seed = 6 };
            var e2 = Assert.Throws<ArgumentException>(() => new Sam2Trainer(TinyTrainingSetup.Spec(), data, changed, ckpt).Run(resume: true));
            Assert.Contains("--seed", e2.Message);
            var shorter = Options(1) with { Epochs = 0 + 1, Loss = Options(1).Loss with { Focal = 1 } };
            var e3 = Assert.Throws<ArgumentException>(() => new Sam2Trainer(TinyTrainingSetup.Spec(), data, shorter, ckpt).Run(resume: true));
            Assert.Contains("loss and prompt settings", e3.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ResumingWithMoreEpochsExtendsTheRun_FewerIsRefused()
    {
        var dir = TinyTrainingSetup.TempDir("extend");
        try
        {
            var data = new TrainingDataSource(CocoDataset.Load(TinyTrainingSetup.CreateDataset(Path.Combine(dir, "data"), 4, 4)), 64);
            var ckpt = Path.Combine(dir, "m.pt");
            var first = new Sam2Trainer(TinyTrainingSetup.Spec(), data, Options(2), ckpt).Run(resume: false);
            Assert.True(first.Finished);
            Assert.Equal(4, first.Step);

            var longer = new Sam2Trainer(TinyTrainingSetup.Spec(), data, Options(3), ckpt).Run(resume: true);
            Assert.Equal(4, longer.StartStep);
            Assert.Equal(6, longer.Step);
            Assert.True(longer.Finished);

            var e = Assert.Throws<ArgumentException>(() => new Sam2Trainer(TinyTrainingSetup.Spec(), data, Options(2), ckpt).Run(resume: true));
            Assert.Contains("--epochs 3", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TrainingReducesTheLossOnATinyDataset()
    {
        var dir = TinyTrainingSetup.TempDir("learn");
        try
        {
            var data = new TrainingDataSource(CocoDataset.Load(TinyTrainingSetup.CreateDataset(Path.Combine(dir, "data"), 4, 3)), 64);
            var options = Options(15) with { Prompts = new PromptPolicy { CorrectionProbability = 0 }, LearningRate = 5e-3, WarmupSteps = 5 };
            var result = new Sam2Trainer(TinyTrainingSetup.Spec(), data, options, Path.Combine(dir, "m.pt")).Run(resume: false);
            double early = result.StepLosses.Take(5).Average(), late = result.StepLosses.TakeLast(5).Average();
            Assert.True(late < 0.7 * early, $"loss did not fall: first steps {early:0.000}, last steps {late:0.000}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
