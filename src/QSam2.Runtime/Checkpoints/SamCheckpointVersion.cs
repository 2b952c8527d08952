namespace QSam2.Runtime.Checkpoints;

/// <summary>Tells SAM 2.0 from SAM 2.1 weights: 2.1 added the temporal position projection of object pointers.</summary>
public static class SamCheckpointVersion
{
    /// <summary>The key only SAM 2.1 checkpoints have (<c>proj_tpos_enc_in_obj_ptrs</c>).</summary>
    public const string Sam21Marker = "obj_ptr_tpos_proj.weight";

    /// <returns>"2.1" when <see cref="Sam21Marker"/> is present, else "2.0".</returns>
    public static string Detect(StateDict sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        return sd.ContainsKey(Sam21Marker) ? "2.1" : "2.0";
    }
}
