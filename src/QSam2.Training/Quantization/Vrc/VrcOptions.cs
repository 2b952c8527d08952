namespace QSam2.Training.Quantization.Vrc;

/// <summary>Settings of variance-reduced calibration (recipe block <c>vrc</c>).</summary>
public sealed record VrcOptions
{
    public bool Enabled { get; init; }

    public VrcVariant Variant { get; init; } = VrcVariant.Tikhonov;

    /// <summary>λ (Tikhonov) or the eigenvalue cutoff (truncated), relative to <see cref="Scale"/>.</summary>
    public double Lambda { get; init; } = 0.01;

    public VrcScale Scale { get; init; } = VrcScale.MeanEigenvalue;

    /// <summary>
    /// Add <c>(W − Ŵ)·mean(x)</c> to the bias so the layer's mean output on the calibration data is unchanged (the
    /// paper omits the bias; this is the least-squares optimum for the bias given Ŵ).
    /// </summary>
    public bool BiasCorrection { get; init; } = true;

    /// <summary>Which Linear layers are calibrated (glob on official names); the paper: the image encoder's Linears.</summary>
    public string Layers { get; init; } = "image_encoder.trunk.*";
}
