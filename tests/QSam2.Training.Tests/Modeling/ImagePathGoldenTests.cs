namespace QSam2.Training.Tests.Modeling;

/// <summary>Every image-path tensor of fixture-a against the official code's output.</summary>
public class ImagePathGoldenTests
{
    private static FixtureA F => FixtureA.Instance;

    [Theory]
    [InlineData("trunk.patch_embed")]
    [InlineData("trunk.pos_embed")]
    [InlineData("trunk.patch_embed_plus_pos")]
    [InlineData("trunk.blocks.0")]
    [InlineData("trunk.blocks.1")]
    [InlineData("trunk.blocks.2")]
    [InlineData("trunk.blocks.3")]
    [InlineData("trunk.blocks.4")]
    [InlineData("trunk.blocks.5")]
    [InlineData("trunk.blocks.6")]
    public void TrunkIntermediatesMatchReference(string name) => F.AssertClose(name, F.ImageCapture[name]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TrunkStagesMatchReference(int level) => F.AssertClose($"trunk.stage{level + 1}", F.Features.TrunkStages[level]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NeckFeaturesAndPositionEncodingsMatchReference(int level)
    {
        F.AssertClose($"neck.features.{level}", F.Features.NeckFeatures[level]);
        F.AssertClose($"neck.pos_enc.{level}", F.Features.NeckPos[level]);
    }

    [Fact]
    public void HighResFeaturesMatchReference()
    {
        F.AssertClose("forward_image.backbone_fpn.0", F.Features.HighRes0);
        F.AssertClose("forward_image.backbone_fpn.1", F.Features.HighRes1);
        F.AssertClose("predictor.high_res_feats.0", F.Features.HighRes0);
        F.AssertClose("predictor.high_res_feats.1", F.Features.HighRes1);
    }

    [Fact]
    public void ImageEmbeddingIncludesNoMemEmbedAndMatchesReference()
    {
        F.AssertClose("predictor.image_embed", F.Features.ImageEmbed);
        // The raw stride-16 level (video path input) is the neck output without no_mem_embed.
        F.AssertClose("neck.features.2", F.Features.VisionFeatures);
        F.AssertClose("neck.pos_enc.2", F.Features.VisionPos);
    }

    [Fact]
    public void DensePositionalEncodingMatchesReference()
    {
        using var pe = F.Model.PromptEncoder.GetDensePe();
        F.AssertClose("prompt_encoder.dense_pe", pe);
    }
}
