using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Memory attention (<c>memory_attention</c>): conditions the current frame's stride-16 features on the memory bank.
/// Batch-first API: the reference's sequence-first tensors are transposed by the caller.
/// </summary>
public sealed class MemoryAttention : nn.Module
{
    [ComponentName(Name = "layers")] private readonly ModuleList<MemoryAttentionLayer> _layers;
    [ComponentName(Name = "norm")] private readonly LayerNorm _norm;

    public MemoryAttention(MemoryAttentionSpec spec) : base(nameof(MemoryAttention))
    {
        _layers = new ModuleList<MemoryAttentionLayer>();
        for (var i = 0; i < spec.NumLayers; i++) _layers.Add(new MemoryAttentionLayer(spec));
        _norm = nn.LayerNorm(spec.DModel, spec.LayerNormEps);
        RegisterComponents();
    }

    /// <param name="curr">current frame tokens <c>[B,N,C]</c> (row-major flattened grid, raw neck level without no_mem_embed)</param>
    /// <param name="currPos">its sine PE <c>[B,N,C]</c>, added once at the input scaled by 0.1</param>
    /// <param name="memory">memory tokens <c>[B,M,Cm]</c>: spatial memories first, object-pointer tokens last</param>
    /// <param name="memoryPos"><c>[B,M,Cm]</c></param>
    /// <param name="numObjPtrTokens">number of trailing object-pointer tokens (excluded from RoPE)</param>
    /// <returns><c>[B,N,C]</c></returns>
    public Tensor Forward(Tensor curr, Tensor currPos, Tensor memory, Tensor memoryPos, int numObjPtrTokens = 0)
    {
        if (curr.shape[0] != memory.shape[0])
            throw new ArgumentException($"batch of current tokens ({curr.shape[0]}) and memory ({memory.shape[0]}) differ");
        using var scope = NewDisposeScope();
        var output = curr + 0.1 * currPos;
        for (var i = 0; i < _layers.Count; i++)
            output = _layers[i].Forward(output, memory, memoryPos, numObjPtrTokens);
        return _norm.call(output).MoveToOuterDisposeScope();
    }
}
