namespace QSam2.Segmenter.Models;

/// <summary>
/// The headline bit-widths of a model's recipe: the default weight and activation bits of its quant spec (a mixed
/// recipe may keep some layers wider or in float; the generated description lists them). 32/32 means FP32.
/// </summary>
public readonly record struct ModelPrecision(int WeightBits, int ActivationBits)
{
    public static ModelPrecision Float32 => new(32, 32);

    public bool IsFloat32 => WeightBits == 32 && ActivationBits == 32;

    public override string ToString() => IsFloat32 ? "FP32" : $"W{WeightBits}A{ActivationBits}";
}
