using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Vrc;

/// <summary>One layer's calibrated weight and how much it moved.</summary>
/// <param name="Weight">Ŵ, float32, same shape as W.</param>
/// <param name="Lambda">The absolute λ used (Tikhonov) or the absolute eigenvalue cutoff (truncated).</param>
/// <param name="KeptDirections">Eigen-directions kept (truncated) or d_in (Tikhonov).</param>
public sealed record VrcSolution(Tensor Weight, double Lambda, int KeptDirections);

/// <summary>
/// The closed forms of variance-reduced calibration (VRC) for <c>f(X) = XWᵀ + b</c> with targets from the float
/// layer itself (Y − b = XWᵀ), derived in docs/qsam2-method.md §2.1: the regularized least-squares solution
/// <c>Ŵᵀ = (XᵀX + λI)⁻¹XᵀY</c> becomes <c>Ŵ = W·G(G + λI)⁻¹ = W·V diag(gᵢ/(gᵢ+λ)) Vᵀ</c> with <c>G = XᵀX = V diag(g) Vᵀ</c>;
/// the truncated variant keeps only directions with <c>gᵢ ≥ cutoff</c>. Computed in float64 from the eigendecomposition.
/// </summary>
public static class VrcSolver
{
    /// <param name="weight">W, <c>[d_out, d_in]</c>.</param>
    /// <param name="gram">G, <c>[d_in, d_in]</c> symmetric positive semi-definite.</param>
    /// <param name="relative">λ (Tikhonov) or the cutoff (truncated) as a fraction of <paramref name="scale"/>.</param>
    public static VrcSolution Solve(Tensor weight, Tensor gram, VrcVariant variant, double relative, VrcScale scale = VrcScale.MeanEigenvalue)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gram);
        if (weight.dim() != 2) throw new ArgumentException($"VRC calibrates Linear weights [d_out, d_in]; got rank {weight.dim()}");
        long d = weight.shape[1];
        if (gram.dim() != 2 || gram.shape[0] != d || gram.shape[1] != d)
            throw new ArgumentException($"Gram matrix [{string.Join(",", gram.shape)}] does not match d_in = {d}");
        if (!(relative >= 0) || double.IsInfinity(relative)) throw new ArgumentOutOfRangeException(nameof(relative), relative, "λ / cutoff must be finite and >= 0");

        using var scope = NewDisposeScope();
        var g = gram.to_type(ScalarType.Float64).cpu();
        g = (g + g.t()) * 0.5; // exact symmetry for eigh
        var (eigenvalues, vectors) = linalg.eigh(g);
        var ev = eigenvalues.clamp_min(0); // round-off can make a PSD matrix's smallest eigenvalues slightly negative
        double max = ev.max().item<double>();
        double reference = scale == VrcScale.MaxEigenvalue ? max : ev.sum().item<double>() / d;
        double absolute = relative * reference;
        // Eigenvalues below numpy.linalg.pinv's default rank tolerance are round-off of exact zeros.
        double rankTolerance = d * 2.220446049250313e-16 * max;
        var nonZero = ev.gt(rankTolerance);

        Tensor factors;
        int kept;
        if (variant == VrcVariant.Tikhonov)
        {
            // gᵢ/(gᵢ+λ); with λ = 0 a zero eigenvalue gives 0/0: the pseudo-inverse limit keeps nothing of that direction.
            factors = absolute > 0 ? ev / (ev + absolute) : nonZero.to_type(ScalarType.Float64);
            kept = (int)d;
        }
        else
        {
            factors = ev.ge(absolute).logical_and(nonZero).to_type(ScalarType.Float64);
            kept = (int)factors.sum().item<double>();
        }
        var projector = (vectors * factors.unsqueeze(0)).matmul(vectors.t());
        var w = weight.detach().to_type(ScalarType.Float64).cpu();
        var calibrated = w.matmul(projector).to_type(weight.dtype).to(weight.device);
        return new VrcSolution(calibrated.MoveToOuterDisposeScope(), absolute, kept);
    }
}
