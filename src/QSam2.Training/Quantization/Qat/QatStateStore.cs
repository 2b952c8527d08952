using QSam2.Runtime.Checkpoints;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Simulation;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Qat;

/// <summary>
/// Saves and restores a QAT run in a state folder: the student's weights (official layout, <c>student.pt</c>), the
/// quantizers' learned clip factors and running statistics (<c>quantizers.pt</c>, keys <c>&lt;layer&gt;.weight.alpha</c>,
/// <c>&lt;layer&gt;.input.mean</c>, …), the optimizer state (<c>optimizer.bin</c>) and <c>state.json</c>, written last
/// so an interrupted save is never taken for a complete one.
/// </summary>
public static class QatStateStore
{
    public const string StudentFile = "student.pt";
    public const string QuantizerFile = "quantizers.pt";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "state.json";

    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, StateFile));

    public static void Save(string folder, Sam2Model student, QuantSimulator sim, AdamW optimizer, QatState state)
    {
        Directory.CreateDirectory(folder);
        CheckpointWriter.Write(Path.Combine(folder, StudentFile), student.ExportStateDict());
        CheckpointWriter.Write(Path.Combine(folder, QuantizerFile), new StateDict(QuantizerTensors(sim).Select(p => (p.Key, ToData(p.Value)))));
        var optPath = Path.Combine(folder, OptimizerFile);
        var tmp = optPath + ".tmp";
        optimizer.save_state_dict(tmp);
        File.Move(tmp, optPath, overwrite: true);
        var statePath = Path.Combine(folder, StateFile);
        File.WriteAllText(statePath + ".tmp", state.ToJson());
        File.Move(statePath + ".tmp", statePath, overwrite: true);
    }

    public static QatState Load(string folder, Sam2Model student, QuantSimulator sim, AdamW optimizer)
    {
        var state = QatState.Read(Path.Combine(folder, StateFile));
        var studentPath = Path.Combine(folder, StudentFile);
        student.LoadStateDict(CheckpointReader.Read(studentPath), studentPath);
        var quantPath = Path.Combine(folder, QuantizerFile);
        var saved = CheckpointReader.Read(quantPath);
        using (no_grad())
        {
            foreach (var (key, target) in QuantizerTensors(sim))
            {
                if (!saved.TryGetValue(key, out var data) || data.ElementCount != target.numel())
                    throw new InvalidDataException($"{quantPath}: quantizer tensor '{key}' is missing or has another size (the run used other quantizers)");
                using var src = tensor(data.Data, target.shape, dtype: ScalarType.Float32);
                target.copy_(src);
            }
        }
        try
        {
            optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{folder}: optimizer state does not fit this run ({e.Message})", e);
        }
        return state;
    }

    /// <summary>Every learned or running quantizer tensor, by a stable name.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> QuantizerTensors(QuantSimulator sim)
    {
        foreach (var layer in sim.Layers)
        {
            if (layer.WeightQuantizer is { } w)
            {
                for (int i = 0; i < w.LearnedParameters.Count; i++) yield return new(layer.Name + ".weight.alpha" + (i == 0 ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)), w.LearnedParameters[i]);
                foreach (var (name, t) in w.State) yield return new(layer.Name + ".weight." + name, t);
            }
            if (layer.ActivationQuantizer is { } a)
            {
                for (int i = 0; i < a.LearnedParameters.Count; i++) yield return new(layer.Name + ".input.alpha" + (i == 0 ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)), a.LearnedParameters[i]);
                foreach (var (name, t) in a.State) yield return new(layer.Name + ".input." + name, t);
            }
        }
    }

    private static TensorData ToData(Tensor t)
    {
        using var host = t.detach().to_type(ScalarType.Float32).cpu().contiguous();
        // Scalars (clip factors) are stored as [1]: the checkpoint format wants a rank.
        var shape = host.dim() == 0 ? new[] { 1 } : host.shape.Select(d => checked((int)d)).ToArray();
        return new TensorData(shape, host.data<float>().ToArray());
    }
}
