using System.Diagnostics;
using QSam2.Runtime.Checkpoints;
using QSam2.Spec.Model;
using QSam2.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Training;

/// <summary>What a <see cref="Sam2Trainer.Run"/> call did.</summary>
/// <param name="StartStep">Step the session started from (non-zero after a resume).</param>
/// <param name="Step">Steps completed in total when the session ended.</param>
/// <param name="StepLosses">Total loss of every step of this session, in order.</param>
/// <param name="Finished">True when all epochs are done (false after --max-steps or cancellation).</param>
public sealed record TrainingRunResult(long StartStep, long Step, long TotalSteps, IReadOnlyList<double> StepLosses, bool Finished, double ElapsedSeconds);

/// <summary>
/// SAM2 image-path training (<c>qsam2 train</c>): AdamW with linear warmup and cosine decay, SAM2's losses and
/// prompt sampling (<see cref="TrainingBatchLoss"/>), a deterministic data order (<see cref="EpochOrder"/>), a
/// resumable state saved at every epoch end (and every <see cref="TrainOptions.SaveEverySteps"/>, at
/// <see cref="TrainOptions.MaxSteps"/> and on cancellation) by <see cref="TrainingStateStore"/>.
/// </summary>
public sealed class Sam2Trainer
{
    private readonly ArchSpec _spec;
    private readonly TrainingDataSource _data;
    private readonly TrainOptions _options;
    private readonly string _checkpointPath;

    public Sam2Trainer(ArchSpec spec, TrainingDataSource data, TrainOptions options, string checkpointPath)
    {
        _spec = spec ?? throw new ArgumentNullException(nameof(spec));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        options.Validate();
        if (data.ImageSize != spec.ImageSize)
            throw new ArgumentException($"data is prepared for {data.ImageSize}² but arch '{spec.Name}' takes {spec.ImageSize}²");
        _checkpointPath = Path.GetFullPath(checkpointPath);
        StepsPerEpoch = data.Count / options.BatchSize;
        if (StepsPerEpoch == 0)
            throw new ArgumentException($"--batch-size {options.BatchSize} is larger than the {data.Count} usable training images");
    }

    public int StepsPerEpoch { get; }

    public long TotalSteps => (long)StepsPerEpoch * _options.Epochs;

    /// <param name="resume">Continue from the saved state at the checkpoint path (starts fresh when there is none).</param>
    /// <param name="onStep">Called after every optimizer step.</param>
    /// <param name="log">Messages (start, resume, saves).</param>
    public TrainingRunResult Run(bool resume, Action<TrainingProgress>? onStep = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        torch.set_num_threads(_options.Threads);
        if (!resume && TrainingStateStore.Exists(_checkpointPath))
        {
            throw new ArgumentException(
                $"{_checkpointPath} already holds a resumable training run ({TrainingState.PathFor(_checkpointPath)}); pass --resume to continue it or choose another output");
        }

        // The seed fixes the initial weights; a resumed run overwrites them from the checkpoint.
        torch.manual_seed(_options.Seed);
        using var model = new Sam2Model(_spec);
        model.train();
        using var optimizer = OptimizerFactory.Create(model, _options);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.WarmupSteps, TotalSteps, _options.FinalLrFraction);

        long step = 0;
        double previousSeconds = 0;
        var epochLosses = new List<double>();
        double epochSum = 0;
        int epochCount = 0;
        if (resume && TrainingStateStore.Exists(_checkpointPath))
        {
            if (_options.InitCheckpoint != null) log?.Invoke("--init is ignored: the resumed run already holds its weights");
            var state = TrainingStateStore.Load(_checkpointPath, model, optimizer);
            CheckCompatible(state);
            step = state.Step;
            previousSeconds = state.ElapsedSeconds;
            epochLosses.AddRange(state.EpochLosses);
            epochSum = state.EpochLossSum;
            epochCount = state.EpochLossCount;
            log?.Invoke($"resuming {_checkpointPath} at step {step}/{TotalSteps} (epoch {step / StepsPerEpoch + 1}/{_options.Epochs})");
        }
        else
        {
            if (resume) log?.Invoke($"no saved training state at {_checkpointPath}; starting from scratch");
            if (_options.InitCheckpoint is { } init)
            {
                // Strict: every official key of this architecture, with its shape (errors name the file and the key).
                model.LoadStateDict(CheckpointReader.Read(init), init);
                log?.Invoke($"starting from the weights in {init}");
            }
            log?.Invoke($"training {_spec.Name} on {_data.Count} images: {_options.Epochs} epochs x {StepsPerEpoch} steps, batch {_options.BatchSize} images x <= {_options.ObjectsPerImage} objects");
        }

        long startStep = step;
        long stopAt = Math.Min(TotalSteps, _options.MaxSteps ?? long.MaxValue);
        var lossFn = new TrainingBatchLoss(model, _options);
        var lrScales = OptimizerFactory.GroupLrScales(_options);
        var trainable = OptimizerFactory.TrainableParameters(model).Select(p => p.Parameter).ToList();
        var losses = new List<double>();
        var session = Stopwatch.StartNew();
        int[]? order = null;
        int orderEpoch = -1;

        void Save()
        {
            int epochsDone = (int)(step / StepsPerEpoch);
            var elapsed = previousSeconds + session.Elapsed.TotalSeconds;
            TrainingStateStore.Save(_checkpointPath, model, optimizer, bytes => new TrainingState
            {
                Arch = _spec.Name,
                Step = step,
                EpochsCompleted = epochsDone,
                StepsPerEpoch = StepsPerEpoch,
                Seed = _options.Seed,
                BatchSize = _options.BatchSize,
                ObjectsPerImage = _options.ObjectsPerImage,
                Epochs = _options.Epochs,
                LearningRate = _options.LearningRate,
                WarmupSteps = _options.WarmupSteps,
                EncoderLrScale = _options.EncoderLrScale,
                FocalWarmupSteps = _options.FocalWarmupSteps,
                LossSettings = _options.LossAndPromptSettings(),
                TrainImages = _data.Count,
                CheckpointBytes = bytes,
                OptimizerFile = "",
                ElapsedSeconds = elapsed,
                EpochLosses = epochLosses.ToArray(),
                EpochLossSum = epochSum,
                EpochLossCount = epochCount,
            });
            log?.Invoke($"saved {_checkpointPath} at step {step} ({ConsoleProgressBar.Duration(elapsed)} trained)");
        }

        while (step < stopAt && !cancel.IsCancellationRequested)
        {
            var stepWatch = Stopwatch.StartNew();
            int epoch = (int)(step / StepsPerEpoch);
            int inEpoch = (int)(step % StepsPerEpoch);
            if (epoch != orderEpoch)
            {
                order = EpochOrder.Permutation(_data.Count, _options.Seed, epoch);
                orderEpoch = epoch;
            }
            var rng = EpochOrder.StepRandom(_options.Seed, step);
            var batch = Enumerable.Range(inEpoch * _options.BatchSize, _options.BatchSize).Select(i => _data.Load(order![i])).ToList();

            double lr = schedule.At(step);
            OptimizerFactory.SetLearningRate(optimizer, lr, lrScales);
            var weights = _options.FocalWarmupSteps > 0 && step < _options.FocalWarmupSteps
                ? _options.Loss with { Focal = _options.Loss.Focal * (step + 1) / _options.FocalWarmupSteps }
                : _options.Loss;
            LossValues values;
            int objects;
            using (GcPause.Begin())
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var (loss, count) = lossFn.Compute(batch, rng, weights, _options.PromptsAt(step), _options.BoxHintProbabilityAt(step));
                var total = loss.Total;
                if (!float.IsFinite(total.item<float>()))
                    throw new InvalidOperationException($"loss became {total.item<float>()} at step {step}; lower --lr");
                total.backward();
                if (_options.GradientClip > 0) nn.utils.clip_grad_norm_(trainable, _options.GradientClip);
                optimizer.step();
                values = loss.ToValues();
                objects = count;
            }
            step++;
            losses.Add(values.Total);
            epochSum += values.Total;
            epochCount++;
            onStep?.Invoke(new TrainingProgress(step, TotalSteps, epoch, _options.Epochs, values, lr, objects,
                stepWatch.Elapsed.TotalSeconds, step - startStep, session.Elapsed.TotalSeconds));

            bool epochEnd = step % StepsPerEpoch == 0;
            if (epochEnd)
            {
                epochLosses.Add(epochSum / Math.Max(1, epochCount));
                epochSum = 0;
                epochCount = 0;
                Save();
            }
            else if ((_options.SaveEverySteps > 0 && step % _options.SaveEverySteps == 0) || step == stopAt || cancel.IsCancellationRequested)
            {
                Save();
            }
        }
        return new TrainingRunResult(startStep, step, TotalSteps, losses, step >= TotalSteps, previousSeconds + session.Elapsed.TotalSeconds);
    }

    private void CheckCompatible(TrainingState state)
    {
        var path = TrainingState.PathFor(_checkpointPath);
        void Same<T>(string what, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now))
                throw new ArgumentException($"{path}: the run was started with {what} {saved}, not {now}; resume with the same setting");
        }
        Same("arch", state.Arch, _spec.Name);
        Same("--seed", state.Seed, _options.Seed);
        Same("--batch-size", state.BatchSize, _options.BatchSize);
        Same("--objects-per-image", state.ObjectsPerImage, _options.ObjectsPerImage);
        Same("a training set of (images)", state.TrainImages, _data.Count);
        // More epochs extend a run (the cosine schedule is stretched from the current step on); fewer would end it in the past.
        if (_options.Epochs < state.Epochs)
            throw new ArgumentException($"{path}: the run was started with --epochs {state.Epochs}; resume with at least that many (more extends the run)");
        Same("--lr", state.LearningRate, _options.LearningRate);
        Same("--warmup-steps", state.WarmupSteps, _options.WarmupSteps);
        Same("--encoder-lr-scale", state.EncoderLrScale, _options.EncoderLrScale);
        Same("--focal-warmup-steps", state.FocalWarmupSteps, _options.FocalWarmupSteps);
        if (state.LossSettings.Length > 0) Same("loss and prompt settings", state.LossSettings, _options.LossAndPromptSettings());
    }
}
