namespace QSam2.Training.Tests.Quantization;

/// <summary>
/// Tests that compare two training runs bit for bit: libtorch's thread count is process-wide and other test classes
/// change it while running in parallel, which changes float summation order. These tests run alone, on one thread.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchCollection
{
    public const string Name = "serial torch (deterministic)";
}
