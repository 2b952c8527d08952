namespace QSam2.Gpu.Kernels;

/// <summary>
/// The summation orders of the CPU path's AVX2 kernels, so the device reproduces their sums bit for bit: eight (or
/// sixteen) lane accumulators filled in index order, then the horizontal sum of .NET's <c>Vector256.Sum</c> on x64,
/// <c>((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))</c>, then the scalar tail. The GPU path therefore quantizes
/// exactly the values the SIMD path quantizes; a one-ulp difference before a requantization would otherwise flip codes
/// and spread through the following layers.
/// </summary>
public static class LaneSum
{
    /// <summary>Vector256.Sum of eight lanes.</summary>
    public static float Horizontal(float l0, float l1, float l2, float l3, float l4, float l5, float l6, float l7) =>
        ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7));
}
