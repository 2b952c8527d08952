using QSam2.Runtime.Checkpoints;
using QSam2.Training.Modeling;
using TorchSharp.Modules;

namespace QSam2.Training.Training;

/// <summary>
/// Saves and restores a resumable run next to its checkpoint: the weights in the official layout at the
/// checkpoint path (what every other tool reads), the TorchSharp optimizer state (<c>.optim</c>) and the
/// <see cref="TrainingState"/> sidecar (<c>.train.json</c>). Each file goes through a temporary file and a
/// rename; the sidecar is written last and records the checkpoint's size, so a crash between files is detected
/// on resume instead of silently pairing old weights with new optimizer moments.
/// </summary>
public static class TrainingStateStore
{
    public static string OptimizerPathFor(string checkpointPath) => checkpointPath + ".optim";

    public static void Save(string checkpointPath, Sam2Model model, AdamW optimizer, Func<long, TrainingState> stateForSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(stateForSize);
        var full = Path.GetFullPath(checkpointPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        CheckpointWriter.Write(full, model.ExportStateDict());

        var optPath = OptimizerPathFor(full);
        WriteAtomically(optPath, tmp => optimizer.save_state_dict(tmp));

        var state = stateForSize(new FileInfo(full).Length) with { OptimizerFile = Path.GetFileName(optPath) };
        WriteAtomically(TrainingState.PathFor(full), tmp => File.WriteAllText(tmp, state.ToJson()));
    }

    /// <summary>True when a resumable state (sidecar) exists for <paramref name="checkpointPath"/>.</summary>
    public static bool Exists(string checkpointPath) => File.Exists(TrainingState.PathFor(Path.GetFullPath(checkpointPath)));

    /// <summary>Loads weights and optimizer state into <paramref name="model"/>/<paramref name="optimizer"/> and returns the sidecar.</summary>
    public static TrainingState Load(string checkpointPath, Sam2Model model, AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var full = Path.GetFullPath(checkpointPath);
        var statePath = TrainingState.PathFor(full);
        var state = TrainingState.Read(statePath);
        if (!File.Exists(full)) throw new InvalidDataException($"{statePath}: its checkpoint {full} is missing");
        long size = new FileInfo(full).Length;
        if (size != state.CheckpointBytes)
        {
            throw new InvalidDataException(
                $"{statePath}: checkpoint {full} is {size} bytes but the state was saved with a {state.CheckpointBytes}-byte checkpoint (interrupted save or a replaced file)");
        }
        var optPath = Path.Combine(Path.GetDirectoryName(full)!, state.OptimizerFile);
        if (!File.Exists(optPath)) throw new InvalidDataException($"{statePath}: optimizer state {optPath} is missing");
        model.LoadStateDict(CheckpointReader.Read(full), full);
        try
        {
            optimizer.load_state_dict(optPath);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"{optPath}: optimizer state does not fit this model ({e.Message})", e);
        }
        return state;
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        var tmp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
