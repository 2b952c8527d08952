using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>SAM2's image encoder (<c>image_encoder</c>): Hiera trunk followed by the FPN neck.</summary>
public sealed class ImageEncoder : nn.Module
{
    [ComponentName(Name = "trunk")] private readonly HieraTrunk _trunk;
    [ComponentName(Name = "neck")] private readonly FpnNeck _neck;

    public ImageEncoder(ArchSpec spec) : base(nameof(ImageEncoder))
    {
        _trunk = new HieraTrunk(spec.Trunk);
        _neck = new FpnNeck(spec.Neck);
        var expected = _trunk.StageChannels.Reverse().ToArray();
        var declared = spec.Neck.BackboneChannelList.ToArray();
        if (!expected.SequenceEqual(declared))
            throw new ArgumentException(
                $"neck.backbone_channel_list [{string.Join(", ", declared)}] must equal the trunk's stage channels deepest first [{string.Join(", ", expected)}]",
                nameof(spec));
        if (spec.Neck.Scalp < 0 || spec.Neck.Scalp >= declared.Length)
            throw new ArgumentException($"neck.scalp = {spec.Neck.Scalp} must be in [0, {declared.Length - 1}]", nameof(spec));
        RegisterComponents();
    }

    public HieraTrunk Trunk => _trunk;

    public FpnNeck Neck => _neck;
}
