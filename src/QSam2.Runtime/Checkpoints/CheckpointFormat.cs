namespace QSam2.Runtime.Checkpoints;

/// <summary>The checkpoint containers <see cref="CheckpointReader"/> understands.</summary>
public enum CheckpointFormat
{
    /// <summary><c>torch.save</c> zip serialization (PyTorch ≥ 1.6), the format of the official SAM2 <c>.pt</c> files.</summary>
    TorchZip,

    /// <summary>Hugging Face safetensors.</summary>
    Safetensors,
}
