namespace QSam2.Training.Quantization.Pipeline;

/// <summary>
/// TorchSharp 0.107 passes implicitly created <c>Scalar</c>s (e.g. the <c>alpha = 1</c> of every tensor <c>+</c>) to
/// native code without keeping them alive; once the JIT optimizes those methods (tier 1), a garbage collection during
/// the native call can finalize the scalar under it. Long runs then fail at random with libtorch's
/// "Expected false to be true … toFloat at Scalar.h" (or, worse, read a wrong value). Keeping every method at tier 0
/// (no call counting, no on-stack replacement) keeps such arguments alive for the whole call. Measured on sam2_mini
/// (w4a8-vrc-ptq, 50 calibration images): 6 of 18 runs crashed with tier-up on (default, a larger gen0 budget, or
/// TieredCompilation=0), 0 of 9 with every method at tier 0 (JITMinOpts=1 or TC_CallCounting=0).
/// </summary>
public static class RuntimeAdvice
{
    public const string Variables = "DOTNET_TC_CallCounting=0 DOTNET_TC_OnStackReplacement=0";

    /// <summary>A one-line warning when the process runs with tier-up enabled; null when it is protected.</summary>
    public static string? ScalarLifetimeWarning()
    {
        bool tier0 = Environment.GetEnvironmentVariable("DOTNET_TC_CallCounting") == "0"
            || Environment.GetEnvironmentVariable("DOTNET_JITMinOpts") == "1";
        return tier0
            ? null
            : $"note: long TorchSharp runs can crash at random (TorchSharp 0.107 scalar lifetime race); run with {Variables} to avoid it";
    }
}
