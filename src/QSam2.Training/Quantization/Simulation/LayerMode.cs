namespace QSam2.Training.Quantization.Simulation;

/// <summary>What a hooked layer does when the model runs.</summary>
public enum LayerMode
{
    /// <summary>The float layer, untouched.</summary>
    Float,
    /// <summary>The float layer; its input is handed to the layer's observer (calibration).</summary>
    Observe,
    /// <summary>Fake-quantized input and weight (each can be switched off for sensitivity analysis).</summary>
    Quantize,
}
