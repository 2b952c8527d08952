using System.Diagnostics;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Simulation;
using QSam2.Training.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Qat;

/// <summary>What a QAT session did.</summary>
public sealed record QatRunResult(int StartStep, int Steps, IReadOnlyList<double> Losses, double Seconds)
{
    public bool Finished(QatOptions options) => Steps >= options.Steps;
}

/// <summary>
/// Quantization-aware training of a simulated model (the student, quantizers attached) against its float teacher:
/// AdamW on the image-path weights (cosine decay to 10%) and, in a second group without weight decay, on the
/// quantizers' clip factors; gradient clipping; a deterministic image order and prompt sampling (pure functions of
/// seed and step, so a resumed run continues exactly). With a state folder the run saves every
/// <see cref="QatOptions.SaveEvery"/> steps and at the end, and <c>resume</c> continues from there.
/// </summary>
public sealed class QatTrainer
{
    private readonly Sam2Model _student;
    private readonly QuantSimulator _sim;
    private readonly Sam2Model _teacher;
    private readonly TrainingDataSource _data;
    private readonly QatOptions _options;
    private readonly string? _stateFolder;
    private readonly string _recipeKey;

    public QatTrainer(QuantSimulator sim, Sam2Model teacher, TrainingDataSource data, QatOptions options, string recipeKey, string? stateFolder)
    {
        _sim = sim ?? throw new ArgumentNullException(nameof(sim));
        _student = sim.Model;
        _teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _recipeKey = recipeKey ?? "";
        _stateFolder = stateFolder;
        if (data.ImageSize != _student.Spec.ImageSize)
            throw new ArgumentException($"--data is prepared for {data.ImageSize}² but arch '{_student.Spec.Name}' takes {_student.Spec.ImageSize}²");
        if (data.Count < options.BatchSize)
            throw new ArgumentException($"qat.batch_size {options.BatchSize} is larger than the {data.Count} usable training images");
    }

    public QatRunResult Run(bool resume, Action<QatProgress>? onStep = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        torch.set_num_threads(_options.Threads);
        var weights = OptimizerFactory.TrainableParameters(_student).Select(p => p.Parameter).ToList();
        var clips = _sim.LearnedParameters();
        var groups = new List<AdamW.ParamGroup>
        {
            new(weights.Where(p => p.dim() > 1).ToList(), lr: _options.LearningRate, weight_decay: _options.WeightDecay),
            new(weights.Where(p => p.dim() <= 1).ToList(), lr: _options.LearningRate, weight_decay: 0),
        };
        if (clips.Count > 0) groups.Add(new AdamW.ParamGroup(clips, lr: _options.QuantizerLearningRate, weight_decay: 0));
        using var optimizer = optim.AdamW(groups, lr: _options.LearningRate);
        var baseRates = groups.Select(g => g.LearningRate).ToArray();
        var schedule = new LearningRateSchedule(1.0, 0, _options.Steps, 0.1);

        int step = 0;
        double previousSeconds = 0;
        var losses = new List<double>();
        if (_stateFolder is not null && QatStateStore.Exists(_stateFolder))
        {
            if (!resume)
                throw new ArgumentException($"{_stateFolder} already holds a QAT run; pass --resume to continue it or remove the folder");
            var state = QatStateStore.Load(_stateFolder, _student, _sim, optimizer);
            if (state.Arch != _student.Spec.Name || state.RecipeKey != _recipeKey || state.TotalSteps != _options.Steps || state.TrainImages != _data.Count)
                throw new ArgumentException($"{_stateFolder}: the saved QAT run used other settings (arch {state.Arch}, {state.TotalSteps} steps, {state.TrainImages} images); resume with the same recipe and data");
            step = state.Step;
            previousSeconds = state.ElapsedSeconds;
            losses.AddRange(state.Losses);
            log?.Invoke($"resuming QAT at step {step}/{_options.Steps}");
        }

        int stepsPerEpoch = _data.Count / _options.BatchSize;
        var loss = new QatBatchLoss(_student, _teacher, _options);
        int startStep = step;
        var session = Stopwatch.StartNew();
        var trainable = weights.Concat(clips).ToList();
        _teacher.eval();
        _student.train();
        _sim.SetMode(LayerMode.Quantize);
        _sim.SetTraining(true);
        try
        {
            while (step < _options.Steps && !cancel.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                int epoch = step / stepsPerEpoch;
                var order = EpochOrder.Permutation(_data.Count, _options.Seed, epoch);
                int inEpoch = step % stepsPerEpoch;
                var batch = Enumerable.Range(inEpoch * _options.BatchSize, _options.BatchSize).Select(i => _data.Load(order[i])).ToList();
                var rng = EpochOrder.StepRandom(_options.Seed, step);
                double factor = schedule.At(step);
                for (int g = 0; g < groups.Count; g++) optimizer.ParamGroups.ElementAt(g).LearningRate = baseRates[g] * factor;

                QatLossValues values;
                int objects;
                using (var scope = NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var (total, v, count) = loss.Compute(batch, rng);
                    float t = total.item<float>();
                    if (!float.IsFinite(t)) throw new InvalidOperationException($"QAT loss became {t} at step {step}; lower qat.lr / qat.quantizer_lr");
                    total.backward();
                    if (_options.GradientClip > 0) nn.utils.clip_grad_norm_(trainable, _options.GradientClip);
                    optimizer.step();
                    KeepClipFactorsPositive(clips);
                    values = v;
                    objects = count;
                }
                step++;
                double totalLoss = values.Total(_options);
                losses.Add(totalLoss);
                onStep?.Invoke(new QatProgress(step, _options.Steps, totalLoss, values.Distill, values.GroundTruth, baseRates[0] * factor, objects,
                    watch.Elapsed.TotalSeconds, step - startStep, session.Elapsed.TotalSeconds));
                if (_stateFolder is not null && ((_options.SaveEvery > 0 && step % _options.SaveEvery == 0) || step == _options.Steps || cancel.IsCancellationRequested))
                {
                    Save(optimizer, step, previousSeconds + session.Elapsed.TotalSeconds, losses);
                    log?.Invoke($"saved QAT state at step {step} in {_stateFolder}");
                }
            }
        }
        finally
        {
            _sim.SetTraining(false);
            _student.eval();
        }
        return new QatRunResult(startStep, step, losses, previousSeconds + session.Elapsed.TotalSeconds);
    }

    private void Save(AdamW optimizer, int step, double seconds, List<double> losses) =>
        QatStateStore.Save(_stateFolder!, _student, _sim, optimizer, new QatState
        {
            Arch = _student.Spec.Name,
            RecipeKey = _recipeKey,
            Step = step,
            TotalSteps = _options.Steps,
            TrainImages = _data.Count,
            ElapsedSeconds = seconds,
            Losses = losses.ToArray(),
        });

    /// <summary>A clip factor must stay positive (a zero or negative clip range quantizes everything to one code).</summary>
    private static void KeepClipFactorsPositive(IReadOnlyList<Parameter> clips)
    {
        using var noGrad = no_grad();
        foreach (var p in clips) p.clamp_(min: 0.05);
    }
}
