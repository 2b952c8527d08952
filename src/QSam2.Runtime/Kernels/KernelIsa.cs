using System.Runtime.Intrinsics.X86;

namespace QSam2.Runtime.Kernels;

/// <summary>
/// The instruction-set decision, made once per process. Every kernel family has three versions:
/// <c>*_Reference</c> (scalar, the definition, used by tests), <c>*_Portable</c> (plain C#, runs anywhere) and
/// <c>*_Avx2</c> / <c>*_Avx2Fma</c> (System.Runtime.Intrinsics). The un-suffixed entry point of each family
/// reads <see cref="UseAvx2Fma"/>, a <c>static readonly</c> the JIT folds to a constant, so no ISA test ever
/// runs inside a hot loop.
/// </summary>
public static class KernelIsa
{
    /// <summary>True when the AVX2 + FMA kernels are used (Haswell / Zen and later).</summary>
    public static readonly bool UseAvx2Fma = Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Human-readable name of the selected kernel set, for logs and benchmark reports.</summary>
    public static string Selected => UseAvx2Fma ? "Avx2Fma" : "Portable";
}
