using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// SAM2's FPN neck (<c>image_encoder.neck</c>): 1×1 lateral convs <c>convs.{j}.conv</c> indexed deepest first, a
/// top-down pass (nearest ×2, computed in float32) only into the levels listed in fpn_top_down_levels, and a sine
/// position encoding per level. No output convs.
/// </summary>
public sealed class FpnNeck : nn.Module
{
    [ComponentName(Name = "convs")] private readonly ModuleList<Sequential> _convs;
    private readonly HashSet<int> _topDownLevels;
    private readonly bool _average;

    public FpnNeck(NeckSpec spec) : base(nameof(FpnNeck))
    {
        if (spec.FpnInterpModel != "nearest")
            throw new NotSupportedException($"neck.fpn_interp_model '{spec.FpnInterpModel}' is not supported (only 'nearest')");
        _average = spec.FuseType switch
        {
            "sum" => false,
            "avg" => true,
            _ => throw new ArgumentException($"neck.fuse_type must be 'sum' or 'avg', got '{spec.FuseType}'", nameof(spec)),
        };
        _convs = new ModuleList<Sequential>();
        foreach (var c in spec.BackboneChannelList)
            _convs.Add(nn.Sequential(("conv", (nn.Module<Tensor, Tensor>)nn.Conv2d(c, spec.DModel, 1))));
        _topDownLevels = spec.FpnTopDownLevels.ToHashSet();
        PositionEncoding = new PositionEmbeddingSine(spec.DModel, spec.PositionEncodingTemperature);
        RegisterComponents();
    }

    public PositionEmbeddingSine PositionEncoding { get; }

    /// <param name="xs">Trunk stage outputs, shallowest first.</param>
    /// <returns>Features and position encodings per level, shallowest first (all levels, before any scalp).</returns>
    public (Tensor[] Features, Tensor[] Pos) Forward(IReadOnlyList<Tensor> xs)
    {
        if (xs.Count != _convs.Count)
            throw new ArgumentException($"neck expects {_convs.Count} trunk levels, got {xs.Count}", nameof(xs));
        using var scope = NewDisposeScope();
        var n = _convs.Count - 1;
        var outs = new Tensor[_convs.Count];
        var pos = new Tensor[_convs.Count];
        Tensor? prev = null;
        for (var i = n; i >= 0; i--)
        {
            var lateral = _convs[n - i].call(xs[i]);
            if (_topDownLevels.Contains(i) && prev is not null)
            {
                var topDown = nn.functional.interpolate(prev.to_type(ScalarType.Float32), scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
                prev = lateral + topDown;
                if (_average) prev = prev / 2;
            }
            else
            {
                prev = lateral;
            }
            outs[i] = prev;
            pos[i] = PositionEncoding.Forward(prev).to_type(prev.dtype);
        }
        foreach (var t in outs) t.MoveToOuterDisposeScope();
        foreach (var t in pos) t.MoveToOuterDisposeScope();
        return (outs, pos);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) PositionEncoding.Dispose();
        base.Dispose(disposing);
    }
}
