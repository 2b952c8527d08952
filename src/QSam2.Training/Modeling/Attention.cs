using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// SAM attention with an optional internal downsampling (keys <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>,
/// <c>out_proj</c>): projections to embedding_dim / downsample_rate channels split head-major into heads, scaled
/// dot-product attention without masks, then back to embedding_dim.
/// </summary>
public class Attention : nn.Module
{
    [ComponentName(Name = "q_proj")] private readonly Linear _qProj;
    [ComponentName(Name = "k_proj")] private readonly Linear _kProj;
    [ComponentName(Name = "v_proj")] private readonly Linear _vProj;
    [ComponentName(Name = "out_proj")] private readonly Linear _outProj;

    public Attention(int embeddingDim, int numHeads, int downsampleRate = 1, double dropout = 0.0, int? kvInDim = null)
        : base(nameof(Attention))
    {
        if (downsampleRate <= 0 || embeddingDim % downsampleRate != 0)
            throw new ArgumentException($"attention width {embeddingDim} is not divisible by downsample rate {downsampleRate}");
        InternalDim = embeddingDim / downsampleRate;
        if (numHeads <= 0 || InternalDim % numHeads != 0)
            throw new ArgumentException($"attention internal width {InternalDim} is not divisible by {numHeads} heads");
        NumHeads = numHeads;
        Dropout = dropout;
        var kvIn = kvInDim ?? embeddingDim;
        _qProj = nn.Linear(embeddingDim, InternalDim);
        _kProj = nn.Linear(kvIn, InternalDim);
        _vProj = nn.Linear(kvIn, InternalDim);
        _outProj = nn.Linear(InternalDim, embeddingDim);
        RegisterComponents();
    }

    public int InternalDim { get; }

    public int NumHeads { get; }

    public double Dropout { get; }

    /// <param name="q"><c>[B,Nq,C]</c></param>
    /// <param name="k"><c>[B,Nk,Ckv]</c></param>
    /// <param name="v"><c>[B,Nk,Ckv]</c></param>
    public Tensor Forward(Tensor q, Tensor k, Tensor v) => Attend(q, k, v, 0);

    /// <summary>Projection, head split, <see cref="RotateHeads"/>, attention, head merge and output projection.</summary>
    protected Tensor Attend(Tensor q, Tensor k, Tensor v, int numKExcludeRope)
    {
        using var scope = NewDisposeScope();
        var qh = SeparateHeads(_qProj.call(q));
        var kh = SeparateHeads(_kProj.call(k));
        var vh = SeparateHeads(_vProj.call(v));
        (qh, kh) = RotateHeads(qh, kh, numKExcludeRope);
        var o = nn.functional.scaled_dot_product_attention(qh, kh, vh, p: training ? Dropout : 0.0);
        return _outProj.call(RecombineHeads(o)).MoveToOuterDisposeScope();
    }

    /// <summary>Hook to rotate per-head queries/keys <c>[B,h,N,d]</c> (RoPE); identity here.</summary>
    protected virtual (Tensor Q, Tensor K) RotateHeads(Tensor q, Tensor k, int numKExcludeRope) => (q, k);

    private Tensor SeparateHeads(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        return x.reshape(b, n, NumHeads, c / NumHeads).transpose(1, 2);
    }

    private static Tensor RecombineHeads(Tensor x)
    {
        long b = x.shape[0], h = x.shape[1], n = x.shape[2], c = x.shape[3];
        return x.transpose(1, 2).reshape(b, n, h * c);
    }
}
