using QSam2.Training.Quantization.Calibration;
using QSam2.Training.Quantization.Recipes;
using QSam2.Training.Quantization.Vrc;

namespace QSam2.Training.Quantization.Experiment;

/// <summary>
/// What every cell of the comparison shares: the layers kept float (those the kernels keep float, docs/quantization.md
/// §1), calibration (images, selection), VRC's λ, and the QAT budget. One method changes one thing at a time.
/// </summary>
public sealed record ExperimentSettings
{
    public int CalibrationImages { get; init; } = 50;

    public ImageSelection Selection { get; init; } = ImageSelection.ConditionNumber;

    /// <summary>Candidate pool for the condition-number selection (0: the whole calibration folder).</summary>
    public int Candidates { get; init; } = 200;

    public VrcVariant VrcVariant { get; init; } = VrcVariant.Tikhonov;

    public double VrcLambda { get; init; } = 0.01;

    public QatOptions Qat { get; init; } = new() { Steps = 200, BatchSize = 2, ObjectsPerImage = 4 };

    /// <summary>Recipe of one cell; FP32 has none.</summary>
    public QuantRecipe Recipe(ExperimentMethod method, BitConfig bits)
    {
        if (method == ExperimentMethod.Fp32) throw new ArgumentException("FP32 is not quantized");
        bool vrc = method is ExperimentMethod.VrcPtq or ExperimentMethod.VrcLscQat;
        bool qat = method is ExperimentMethod.MinMaxQat or ExperimentMethod.LscQat or ExperimentMethod.VrcLscQat;
        return new QuantRecipe
        {
            Name = $"{method.Key()}-{bits.ToString().ToLowerInvariant()}",
            Description = $"{method.Label()} at {bits} (qsam2 experiment)",
            Source = "qsam2 experiment",
            Method = qat ? QuantMethod.Qat : QuantMethod.Ptq,
            Defaults = new Spec.Quant.QuantLayerConfig { WeightBits = bits.WeightBits, ActivationBits = bits.ActivationBits, Granularity = Spec.Quant.QuantGranularity.PerChannel },
            Rules = StandardRules,
            Calibration = new CalibrationOptions
            {
                Images = CalibrationImages,
                Selection = Selection,
                Candidates = Candidates,
                Weights = ClipMethod.MinMax,
                Activations = ClipMethod.MinMax,
            },
            Vrc = new VrcOptions { Enabled = vrc, Variant = VrcVariant, Lambda = VrcLambda },
            Qat = Qat with { Quantizer = method == ExperimentMethod.MinMaxQat ? QatQuantizer.MinMax : QatQuantizer.Lsc },
        };
    }

    /// <summary>
    /// Layers every configuration keeps in float32, following the kernels' contract: the 7×7 patch embedding (not a
    /// 1×1 conv), the ConvTranspose2d upscaling, and the prompt encoder (mask prompts only).
    /// </summary>
    public static IReadOnlyList<Spec.Quant.QuantLayerRule> StandardRules { get; } = new[]
    {
        QuantRecipe.Rule("image_encoder.trunk.patch_embed.proj", new Spec.Quant.QuantLayerConfig { KeepFloat = true }),
        QuantRecipe.Rule("sam_mask_decoder.output_upscaling.*", new Spec.Quant.QuantLayerConfig { KeepFloat = true }),
        QuantRecipe.Rule("sam_prompt_encoder.*", new Spec.Quant.QuantLayerConfig { KeepFloat = true }),
    };
}
