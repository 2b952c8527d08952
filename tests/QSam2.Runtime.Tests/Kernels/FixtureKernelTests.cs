using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;
using QSam2.Runtime.Kernels.Resize;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Kernels;

/// <summary>
/// Kernels against tensors produced by the official SAM2 code (fixture-a), with the fixture README's tolerance:
/// max |actual − expected| ≤ 1e−4·max|expected| + 1e−5.
/// </summary>
public class FixtureKernelTests
{
    private static readonly Lazy<StateDict> Weights = new(() => CheckpointReader.Read(ReferenceFixture.A.CheckpointPath));

    private static float[] NchwToNhwc(float[] x, int c, int h, int w)
    {
        var y = new float[x.Length];
        for (int ch = 0; ch < c; ch++)
            for (int p = 0; p < h * w; p++) y[p * c + ch] = x[ch * h * w + p];
        return y;
    }

    [Fact]
    public void PatchEmbed_ReproducesTrunkPatchEmbed()
    {
        var f = ReferenceFixture.A;
        var image = f.Float("preprocessed"); // [1, 3, 256, 256]
        var wt = Weights.Value["image_encoder.trunk.patch_embed.proj.weight"];
        var bias = Weights.Value["image_encoder.trunk.patch_embed.proj.bias"].Data;
        int c = wt.Shape[0];
        var conv = PackedConv2d.Create(wt.Data, bias, c, 3, 7, 7, 4, 3);
        var output = new float[64 * 64 * c];
        Conv2dKernels.PatchEmbed_7x7s4p3(image, 256, 256, conv, output, new float[Conv2dKernels.ScratchFloats(conv, 256, 256)]);
        TestData.Close(f.Float("trunk.patch_embed"), output, 1e-4, 1e-5, "patch embed"); // [1, 64, 64, C] channels-last
    }

    [Fact]
    public void ConvS0_ReproducesBackboneFpn0()
    {
        var f = ReferenceFixture.A;
        var feat = NchwToNhwc(f.Float("neck.features.0"), 64, 64, 64);
        var w = Weights.Value["sam_mask_decoder.conv_s0.weight"]; // [8, 64, 1, 1]
        int cout = w.Shape[0];
        var packed = new float[GemmF32.PackedLength(cout, 64)];
        GemmF32.PackB_FromNK(w.Data, 64, cout, 64, packed);
        var y = new float[64 * 64 * cout];
        Conv1x1Kernels.Conv1x1(feat, 64 * 64, 64, packed, cout, new GemmEpilogue { Bias = Weights.Value["sam_mask_decoder.conv_s0.bias"].Data }, y, cout);
        TestData.Close(NchwToNhwc(f.Float("forward_image.backbone_fpn.0"), cout, 64, 64), y, 1e-4, 1e-5, "conv_s0");
    }

    [Fact]
    public void FpnLevel2_IsLateralConvPlusNearestUpsampledLevel3()
    {
        var f = ReferenceFixture.A;
        // Level 2 takes trunk stage 3 (96 channels, 16×16) through convs[1]; level 3 (8×8) is upsampled ×2 and added.
        var stage3 = NchwToNhwc(f.Float("trunk.stage3"), 96, 16, 16);
        var w = Weights.Value["image_encoder.neck.convs.1.conv.weight"];
        Assert.Equal(new[] { 64, 96, 1, 1 }, w.Shape);
        var up = new float[16 * 16 * 64];
        NearestUpsample2x.Upsample(NchwToNhwc(f.Float("neck.features.3"), 64, 8, 8), 8, 8, 64, up);
        var packed = new float[GemmF32.PackedLength(64, 96)];
        GemmF32.PackB_FromNK(w.Data, 96, 64, 96, packed);
        var y = new float[16 * 16 * 64];
        var ep = new GemmEpilogue { Bias = Weights.Value["image_encoder.neck.convs.1.conv.bias"].Data, Residual = up, ResidualStride = 64 };
        Conv1x1Kernels.Conv1x1(stage3, 256, 96, packed, 64, ep, y, 64);
        TestData.Close(NchwToNhwc(f.Float("neck.features.2"), 64, 16, 16), y, 1e-4, 1e-5, "fpn level 2");
    }

    [Theory]
    [InlineData("case1")]
    [InlineData("case2")]
    public void Bilinear_ReproducesMaskPostprocessing(string name)
    {
        var f = ReferenceFixture.A;
        var low = f.Float($"{name}.decoder.out.masks");  // [1, C, 64, 64]
        int c = low.Length / (64 * 64);
        var y = new float[c * 200 * 300];
        BilinearResize.Resize(low, c, 64, 64, y, 200, 300, new byte[BilinearResize.ScratchBytes(300)]);
        TestData.Close(f.Float($"{name}.predict.masks_logits"), y, 1e-4, 1e-5, $"{name} mask upsampling");
    }
}
