namespace QSam2.Training.Quantization.Vrc;

/// <summary>The two readings of the paper's "cutoff" (docs/qsam2-method.md §2.1).</summary>
public enum VrcVariant
{
    /// <summary>Tikhonov-regularized least squares: <c>Ŵ = W·G(G + λI)⁻¹</c>, shrinking weak directions smoothly.</summary>
    Tikhonov,
    /// <summary>Truncated spectrum: <c>Ŵ = W·V_k V_kᵀ</c>, zeroing the directions whose eigenvalue is below the cutoff.</summary>
    Truncated,
}

/// <summary>What λ (or the truncation cutoff) is relative to.</summary>
public enum VrcScale
{
    /// <summary>The mean eigenvalue of G, trace(G)/d_in.</summary>
    MeanEigenvalue,
    /// <summary>The largest eigenvalue of G.</summary>
    MaxEigenvalue,
}
