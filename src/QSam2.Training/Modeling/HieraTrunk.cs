using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Hiera trunk (<c>image_encoder.trunk</c>): patch embedding, windowed position embedding added once, then the block
/// stack. Returns the NCHW output of every stage's last block, shallowest first.
/// </summary>
public sealed class HieraTrunk : nn.Module
{
    [ComponentName(Name = "pos_embed")] private readonly Parameter _posEmbed;
    [ComponentName(Name = "pos_embed_window")] private readonly Parameter _posEmbedWindow;
    [ComponentName(Name = "patch_embed")] private readonly PatchEmbed _patchEmbed;
    [ComponentName(Name = "blocks")] private readonly ModuleList<MultiScaleBlock> _blocks;
    private readonly int[] _stageEnds;

    public HieraTrunk(TrunkSpec spec) : base(nameof(HieraTrunk))
    {
        Plans = HieraBlockPlan.Build(spec);
        _stageEnds = HieraBlockPlan.StageEnds(spec);
        var bkg = spec.WindowPosEmbedBkgSpatialSize.ToArray();
        if (bkg.Length != 2) throw new ArgumentException($"trunk.window_pos_embed_bkg_spatial_size must have 2 entries, got {bkg.Length}", nameof(spec));
        var qStride = spec.QStride.Select(s => (long)s).ToArray();
        if (qStride.Length != 2) throw new ArgumentException($"trunk.q_stride must have 2 entries, got {qStride.Length}", nameof(spec));

        // Official init: both position tables start at zero (checkpoints overwrite them).
        _posEmbed = new Parameter(zeros(1, spec.EmbedDim, bkg[0], bkg[1]));
        _posEmbedWindow = new Parameter(zeros(1, spec.EmbedDim, spec.WindowSpec[0], spec.WindowSpec[0]));
        _patchEmbed = new PatchEmbed(3, spec.EmbedDim, spec.PatchKernelSize, spec.PatchStride, spec.PatchPadding);
        _blocks = new ModuleList<MultiScaleBlock>();
        foreach (var plan in Plans)
            _blocks.Add(new MultiScaleBlock(plan, qStride, spec.MlpRatio, spec.LayerNormEps));
        RegisterComponents();
    }

    public IReadOnlyList<HieraBlockPlan> Plans { get; }

    /// <summary>Channels of each returned stage, shallowest first.</summary>
    public int[] StageChannels => _stageEnds.Select(e => Plans[e].DimOut).ToArray();

    /// <summary>The full-resolution position embedding <c>[1,h,w,C]</c> for a token grid.</summary>
    public Tensor PositionEmbedding(long h, long w) => HieraPositionEmbedding.Compute(_posEmbed, _posEmbedWindow, h, w);

    /// <param name="image">Normalized <c>[B,3,S,S]</c>.</param>
    /// <returns>Per stage <c>[B,C_i,H_i,W_i]</c>, shallowest first.</returns>
    public Tensor[] Forward(Tensor image, ActivationCapture? capture = null)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"trunk input must be [B,3,H,W], got [{string.Join(",", image.shape)}]", nameof(image));
        using var scope = NewDisposeScope();
        var x = _patchEmbed.call(image);
        var pos = PositionEmbedding(x.shape[1], x.shape[2]);
        capture?.Record("trunk.patch_embed", x);
        capture?.Record("trunk.pos_embed", pos);
        x = x + pos;
        capture?.Record("trunk.patch_embed_plus_pos", x);

        var outputs = new List<Tensor>();
        for (var i = 0; i < _blocks.Count; i++)
        {
            x = _blocks[i].call(x);
            capture?.Record($"trunk.blocks.{i}", x);
            if (Array.IndexOf(_stageEnds, i) >= 0)
                outputs.Add(x.permute(0, 3, 1, 2).contiguous());
        }
        foreach (var o in outputs) o.MoveToOuterDisposeScope();
        return outputs.ToArray();
    }
}
