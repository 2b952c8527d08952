namespace QSam2.Spec.Arch.Expansion;

/// <summary>The element-wise function the reference applies right after a layer's output (before anything else).</summary>
public enum LayerActivation
{
    None,
    /// <summary>Exact (erf) GELU.</summary>
    Gelu,
    Relu,
    Sigmoid,
}
