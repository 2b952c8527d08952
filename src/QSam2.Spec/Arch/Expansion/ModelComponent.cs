namespace QSam2.Spec.Arch.Expansion;

/// <summary>The parts of SAM2 that parameter totals are reported for (sam2-architecture.md §1.4).</summary>
public enum ModelComponent
{
    /// <summary><c>image_encoder.trunk.*</c></summary>
    Trunk,
    /// <summary><c>image_encoder.neck.*</c></summary>
    Neck,
    /// <summary><c>sam_prompt_encoder.*</c></summary>
    PromptEncoder,
    /// <summary><c>sam_mask_decoder.*</c> (conv_s0/conv_s1 included although they run at encode time).</summary>
    MaskDecoder,
    /// <summary><c>memory_attention.*</c></summary>
    MemoryAttention,
    /// <summary><c>memory_encoder.*</c></summary>
    MemoryEncoder,
    /// <summary>SAM2Base's own parameters and small heads: <c>maskmem_tpos_enc</c>, <c>no_mem_*</c>, <c>no_obj_*</c>, <c>mask_downsample</c>, <c>obj_ptr_proj</c>, <c>obj_ptr_tpos_proj</c>.</summary>
    TopLevel,
}

/// <summary>Maps state-dict keys to components.</summary>
public static class ModelComponents
{
    public static ModelComponent OfKey(string key)
    {
        if (key.StartsWith("image_encoder.trunk.", StringComparison.Ordinal)) return ModelComponent.Trunk;
        if (key.StartsWith("image_encoder.neck.", StringComparison.Ordinal)) return ModelComponent.Neck;
        if (key.StartsWith("sam_prompt_encoder.", StringComparison.Ordinal)) return ModelComponent.PromptEncoder;
        if (key.StartsWith("sam_mask_decoder.", StringComparison.Ordinal)) return ModelComponent.MaskDecoder;
        if (key.StartsWith("memory_attention.", StringComparison.Ordinal)) return ModelComponent.MemoryAttention;
        if (key.StartsWith("memory_encoder.", StringComparison.Ordinal)) return ModelComponent.MemoryEncoder;
        return ModelComponent.TopLevel;
    }

    /// <summary>State-dict prefix of a component ("" for top level).</summary>
    public static string Prefix(ModelComponent c) => c switch
    {
        ModelComponent.Trunk => "image_encoder.trunk",
        ModelComponent.Neck => "image_encoder.neck",
        ModelComponent.PromptEncoder => "sam_prompt_encoder",
        ModelComponent.MaskDecoder => "sam_mask_decoder",
        ModelComponent.MemoryAttention => "memory_attention",
        ModelComponent.MemoryEncoder => "memory_encoder",
        _ => "",
    };
}
