using QSam2.Spec.Quant;
using QSam2.Training.Modeling;
using QSam2.Training.Quantization.Simulation;

namespace QSam2.Training.Quantization.Export;

/// <summary>
/// A SAM2 model running an exported quantization: weights dequantized from the <c>.qsw</c> codes and scales, inputs
/// of quantized layers fake-quantized with the exported scales and zero points (<see cref="QuantizedModelLoader"/>).
/// Dispose releases the hooks and the model.
/// </summary>
public sealed class QuantizedSam2 : IDisposable
{
    internal QuantizedSam2(Sam2Model model, QuantSimulator simulator, QuantSpec spec, string specPath, string weightsPath)
    {
        Model = model;
        Simulator = simulator;
        Spec = spec;
        SpecPath = specPath;
        WeightsPath = weightsPath;
    }

    public Sam2Model Model { get; }

    public QuantSimulator Simulator { get; }

    public QuantSpec Spec { get; }

    public string SpecPath { get; }

    public string WeightsPath { get; }

    public void Dispose()
    {
        Simulator.Dispose();
        Model.Dispose();
    }
}
