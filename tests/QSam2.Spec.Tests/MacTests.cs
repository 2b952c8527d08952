using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

/// <summary>MAC counts against sam2-architecture.md §10–11 (1024² input, one click).</summary>
public class MacTests
{
    private static ExpandedArch Tiny => ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t")));

    private static double G(long macs) => macs / 1e9;

    [Fact]
    public void Hiera_t_trunk_is_142_372_gmacs()
    {
        var x = Tiny;
        Assert.Equal(142.372, G(x.Macs.Trunk), 3);
        Assert.Equal(3.020, G(x.Macs.Neck), 3);
        Assert.Equal(145.392, G(x.ImageEncoderMacs), 3);
        Assert.Equal(0.805, G(x.Macs.HighResProjections), 3);
        Assert.Equal(1.820, G(x.Macs.MaskDecoder), 3);
        Assert.Equal(0.018, G(x.Macs.PromptEncoderMaskPath), 3);
        Assert.Equal(148.0, G(x.Macs.ImagePath), 1);
    }

    [Fact]
    public void Hiera_t_per_stage_and_per_block_macs_match_section_11()
    {
        var x = Tiny;
        double Block(int i) => G(x.Layers.Where(l => l.Name.StartsWith($"image_encoder.trunk.blocks.{i}.", StringComparison.Ordinal) || l.Name == $"image_encoder.trunk.blocks.{i}.attn").Sum(l => l.Macs));
        Assert.Equal(0.925, G(x.FindLayer("image_encoder.trunk.patch_embed.proj")!.Macs), 3);
        var expected = new[] { 8.053, 10.670, 7.348, 10.318, 8.460, 20.133, 8.460, 20.133, 8.460, 20.133, 11.466, 7.814 };
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - Block(i)) < 0.0015, $"block {i}: {Block(i)} vs {expected[i]}");
        Assert.Equal(8.053, Block(0), 3);
        Assert.Equal(18.018, Block(1) + Block(2), 2);
        // §11's stage rows add the rounded block values; the exact sum is 96.0947.
        Assert.True(Math.Abs(96.097 - Enumerable.Range(3, 7).Sum(Block)) < 0.005);
        Assert.Equal(19.280, Block(10) + Block(11), 2);
        // 3 × 12.885 (12.8849 exact) = 38.655, printed as 38.66 in §11.
        Assert.Equal(12.885, G(x.FindLayer("image_encoder.trunk.blocks.5.attn")!.Macs), 3);
        Assert.True(Math.Abs(38.66 - G(new[] { 5, 7, 9 }.Sum(i => x.FindLayer($"image_encoder.trunk.blocks.{i}.attn")!.Macs))) < 0.01);
        Assert.Equal(0.805, G(x.FindLayer("image_encoder.trunk.blocks.0.attn")!.Macs), 3);
        Assert.Equal(2.168, G(x.FindLayer("image_encoder.trunk.blocks.4.attn.qkv")!.Macs), 3);
    }

    [Theory]
    [InlineData("sam2.1_hiera_s", 176.2, 3.02)]
    [InlineData("sam2.1_hiera_b+", 319.0, 3.52)]
    [InlineData("sam2.1_hiera_l", 906.1, 4.53)]
    public void Other_sizes_trunk_gmacs(string name, double trunk, double neck)
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec(name)));
        Assert.Equal(trunk, G(x.Macs.Trunk), 1);
        Assert.Equal(neck, G(x.Macs.Neck), 2);
    }

    [Fact]
    public void Video_path_macs_match_section_11()
    {
        var x = Tiny;
        Assert.Equal(5.80, G(x.Macs.MemoryEncoder), 2);
        Assert.Equal(92.9, G(x.Macs.MemoryAttention), 1);
    }

    [Fact]
    public void Image_size_override_scales_shapes_not_parameters()
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t"));
        var full = ArchExpansion.Expand(spec);
        var half = ArchExpansion.Expand(spec, imageSize: 512);
        Assert.Equal(full.StateDictInventory, half.StateDictInventory);
        Assert.Equal(32, half.EmbeddingSize);
        Assert.Equal(new[] { 1, 128, 128, 96 }, half.FindLayer("image_encoder.trunk.blocks.0.norm1")!.InputShape.ToArray());
        Assert.True(half.Macs.Trunk < full.Macs.Trunk / 3);
    }
}
