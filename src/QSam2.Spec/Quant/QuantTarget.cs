using QSam2.Spec.Model;

namespace QSam2.Spec.Quant;

/// <summary>
/// A weight layer a quant spec can address: its official name, weight shape, and which axis holds the
/// output channels (0 for Linear/Conv2d, 1 for ConvTranspose2d, whose official layout is [in, out, kh, kw]).
/// Built from the architecture expansion; kept separate so the quant code does not depend on its internals.
/// </summary>
public sealed record QuantTarget(string Name, EquatableArray<int> WeightShape, int OutputAxis = 0)
{
    public int OutputChannels => WeightShape[OutputAxis];

    /// <summary>Weights per output channel (the GEMM reduction size K).</summary>
    public long ReductionSize
    {
        get
        {
            long n = 1;
            for (int i = 0; i < WeightShape.Count; i++) if (i != OutputAxis) n *= WeightShape[i];
            return n;
        }
    }
}
