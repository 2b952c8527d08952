namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// Loads the model weights of a SAM2 checkpoint into a <see cref="StateDict"/>, weights-only:
/// a PyTorch zip <c>.pt</c> (the official layout <c>{"model": state_dict}</c>, or a flat state dict)
/// or a safetensors file. The format is recognised by content, not by extension.
/// </summary>
public static class CheckpointReader
{
    /// <exception cref="CheckpointFormatException">The file is truncated, corrupt, of another format, holds non-float32 tensors, or names globals a weights-only loader refuses.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static StateDict Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return CheckpointFormatDetector.Detect(path, stream) switch
        {
            CheckpointFormat.TorchZip => TorchZipReader.Read(path, stream),
            CheckpointFormat.Safetensors => SafetensorsReader.Read(path, stream),
            var f => throw new InvalidOperationException($"unhandled format {f}"),
        };
    }

    /// <summary>Which format <paramref name="path"/> is in, from its first bytes.</summary>
    public static CheckpointFormat DetectFormat(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return CheckpointFormatDetector.Detect(path, stream);
    }
}
