using System.Runtime;

namespace QSam2.Training.Training;

/// <summary>
/// Keeps the .NET garbage collector out of a span of TorchSharp work (one training step, one evaluated image).
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107 passes the native handle of implicitly created <c>Scalar</c>s (e.g. the <c>alpha = 1</c> of
/// every <c>tensor + tensor</c>) to libtorch without keeping the managed object alive, and <c>Scalar</c> has a
/// finalizer. A collection triggered by another thread while such a call runs can finalize the scalar under it:
/// we saw training die with libtorch's "Expected false to be true" from <c>Scalar::toFloat</c> inside an add.
/// Collecting and draining finalizers between spans, and running each span in a no-GC region, closes that window
/// without touching TorchSharp.
/// </remarks>
public sealed class GcPause : IDisposable
{
    private readonly bool _active;

    private GcPause(bool active) => _active = active;

    /// <summary>Collects, runs pending finalizers, then enters a no-GC region of <paramref name="budgetBytes"/> if the runtime allows.</summary>
    public static GcPause Begin(long budgetBytes = 192L << 20)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        for (long budget = budgetBytes; budget >= 16L << 20; budget /= 2)
        {
            try
            {
                if (GC.TryStartNoGCRegion(budget)) return new GcPause(true);
            }
            catch (ArgumentOutOfRangeException)
            {
                // Budget larger than this GC configuration allows: try a smaller one.
            }
            catch (InvalidOperationException)
            {
                break; // already in a no-GC region (nested use): the outer one protects us.
            }
        }
        return new GcPause(false);
    }

    public void Dispose()
    {
        // The region ends by itself if the span allocated more than the budget; only end it if still in it.
        if (_active && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }
}
