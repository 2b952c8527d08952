using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Numerics;

/// <summary>
/// Fake quantization as TorchSharp ops, the simulation of docs/quantization.md: quantize, then dequantize, in float32,
/// with the straight-through estimator (STE) for rounding so gradients reach weights, inputs and clip parameters.
/// Weights: symmetric signed codes <c>q = clamp(round_half_even(w / s), −2^(b−1), 2^(b−1) − 1)</c>,
/// <c>s = a / (2^(b−1) − 1)</c> for a clip value <c>a &gt; 0</c> (scale 1 for an all-zero slice), <c>ŵ = q·s</c>.
/// Activations: static asymmetric per tensor, <c>q = clamp(round_half_even(x / s) + z, 0, 2^b − 1)</c>, <c>x̂ = (q − z)·s</c>.
/// These are the same formulas as <c>QSam2.Runtime.Kernels.Quant.WeightQuantizer</c> and
/// <c>ActivationQuantParams</c>, evaluated in float32 in the same order, so a simulated layer equals the exported one.
/// </summary>
public static class FakeQuant
{
    /// <summary>Largest signed weight code, 2^(b−1) − 1 (the scale divisor).</summary>
    public static int WeightQMax(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>Smallest signed weight code, −2^(b−1).</summary>
    public static int WeightQMin(int bits) => -(1 << (bits - 1));

    /// <summary>Largest unsigned activation code, 2^b − 1.</summary>
    public static int ActivationQMax(int bits) => (1 << bits) - 1;

    /// <summary>
    /// round_half_even in the forward pass, identity in the backward pass (STE): <c>x + (round(x) − x).detach()</c>.
    /// </summary>
    public static Tensor RoundSte(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x + (x.round() - x).detach()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Value of <paramref name="x"/> in the forward pass, gradient multiplied by <paramref name="scale"/> in the backward
    /// pass (LSQ's <c>grad_scale</c>): keeps learned step sizes and clip factors on the same update scale as weights.
    /// </summary>
    public static Tensor GradScale(Tensor x, double scale)
    {
        using var scope = NewDisposeScope();
        var scaled = x * scale;
        return ((x - scaled).detach() + scaled).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fake-quantizes weight slices. <paramref name="slices"/> is the weight viewed as <c>[N, G, g]</c> (output
    /// channels, groups, weights per group; see <see cref="WeightSlices"/>) and <paramref name="clip"/> holds one clip
    /// value per slice, shape <c>[N, G, 1]</c> (broadcastable). Differentiable in both: the rounding is STE, the clamp
    /// passes gradient inside the code range only, and the clip value receives LSQ's step-size gradient through the scale.
    /// </summary>
    public static Tensor Weight(Tensor slices, Tensor clip, int bits)
    {
        CheckWeightBits(bits);
        using var scope = NewDisposeScope();
        int qmax = WeightQMax(bits), qmin = WeightQMin(bits);
        // An all-zero slice has clip 0: give it scale 1, as the kernels do, so every code is 0 and nothing divides by 0.
        var positive = clip.gt(0);
        var scale = where(positive, clip / qmax, ones_like(clip));
        var q = RoundSte(slices / scale).clamp(qmin, qmax);
        return (q * scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Fake-quantizes an activation with a step size and zero point (tensors broadcastable to <paramref name="x"/>,
    /// zero point holding an integer value). Differentiable in <paramref name="x"/> and <paramref name="scale"/>
    /// (STE rounding, clamp gradient inside the code range, LSQ step-size gradient); the zero point is not learned.
    /// </summary>
    public static Tensor Activation(Tensor x, Tensor scale, Tensor zeroPoint, int bits)
    {
        CheckActivationBits(bits);
        using var scope = NewDisposeScope();
        int qmax = ActivationQMax(bits);
        var z = zeroPoint.detach();
        var q = (RoundSte(x / scale) + z).clamp(0, qmax);
        return ((q - z) * scale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Step size and zero point from a clip range as tensors, PyTorch MinMaxObserver's affine rule (the same as
    /// <c>ActivationQuantParams.FromRange</c>): the range is widened to contain 0, <c>s = max((hi − lo)/QMax, ε)</c>,
    /// <c>z = clamp(round_half_even(−lo / s), 0, QMax)</c>. The step size keeps the gradient of <paramref name="lo"/>
    /// and <paramref name="hi"/>; the zero point is detached (an integer).
    /// </summary>
    public static (Tensor Scale, Tensor ZeroPoint) ActivationParams(Tensor lo, Tensor hi, int bits)
    {
        CheckActivationBits(bits);
        using var scope = NewDisposeScope();
        int qmax = ActivationQMax(bits);
        var l = lo.clamp_max(0);
        var h = hi.clamp_min(0);
        var scale = ((h - l) / qmax).clamp_min(MinActivationScale);
        var zp = (-l.detach() / scale.detach()).round().clamp(0, qmax);
        return (scale.MoveToOuterDisposeScope(), zp.MoveToOuterDisposeScope());
    }

    /// <summary>Float32 machine epsilon: the smallest activation step (PyTorch observers' <c>eps</c>).</summary>
    public const float MinActivationScale = 1.1920929e-07f;

    public static void CheckWeightBits(int bits)
    {
        if (bits < 2 || bits > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "weight bits must be 2..8");
    }

    public static void CheckActivationBits(int bits)
    {
        if (bits < 2 || bits > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "activation bits must be 2..8");
    }
}
