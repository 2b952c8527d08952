using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

/// <summary>
/// The expansion's state-dict inventory equals, key for key, shape for shape and in order, the inventories
/// produced from the official SAM2 constructors / the real fixture-a checkpoint (see Golden/README.md).
/// </summary>
public class GoldenInventoryTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "sam2.1_hiera_t", RepoPaths.ArchSpec("sam2.1_hiera_t") },
        { "sam2.1_hiera_s", RepoPaths.ArchSpec("sam2.1_hiera_s") },
        { "sam2.1_hiera_b+", RepoPaths.ArchSpec("sam2.1_hiera_b+") },
        { "sam2.1_hiera_l", RepoPaths.ArchSpec("sam2.1_hiera_l") },
        { "sam2_hiera_t", RepoPaths.ArchSpec("sam2_hiera_t") },
        { "fixture-a", RepoPaths.FixtureAArch },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inventory_equals_golden_file(string golden, string specPath)
    {
        var goldenPath = RepoPaths.Golden(golden + ".state_dict.txt");
        Assert.True(File.Exists(goldenPath), "golden inventory missing: " + goldenPath);
        var expected = File.ReadAllLines(goldenPath).Where(l => l.Length > 0).ToArray();
        Assert.True(expected.Length > 300, "golden inventory suspiciously short: " + goldenPath);

        var actual = ArchExpansion.Expand(ArchSpecReader.ReadFile(specPath)).StateDictInventory.Select(e => e.ToString()).ToArray();
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            Assert.True(expected[i] == actual[i], $"entry {i}: expected '{expected[i]}', expansion gives '{actual[i]}'");
        }
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public void Fixture_a_has_359_keys_and_2_422_466_elements()
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.FixtureAArch));
        Assert.Equal(359, x.StateDictKeyCount);
        Assert.Equal(2_422_466L, x.TotalParameters);
    }

    [Fact]
    public void Fixture_a_shapes_agree_with_the_reference_tensors()
    {
        // Independent of the golden files: tensor shapes the official code produced (fixture-a/tensors.json).
        var fx = QSam2.Tests.Shared.ReferenceFixture.A;
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.FixtureAArch));
        for (int i = 0; i < x.Blocks.Count; i++)
        {
            var b = x.Blocks[i];
            Assert.Equal(fx.Shape($"trunk.blocks.{i}"), new[] { 1, b.OutHeight, b.OutWidth, b.DimOut });
        }
        for (int s = 0; s < 4; s++)
        {
            var st = x.Stages[s];
            Assert.Equal(fx.Shape($"trunk.stage{s + 1}"), new[] { 1, st.Channels, st.Height, st.Width });
            var conv = x.FindLayer($"image_encoder.neck.convs.{3 - s}.conv")!;
            Assert.Equal(fx.Shape($"neck.features.{s}"), conv.OutputShape.ToArray());
        }
        Assert.Equal(fx.Shape("forward_image.backbone_fpn.0"), x.FindLayer("sam_mask_decoder.conv_s0")!.OutputShape.ToArray());
        Assert.Equal(fx.Shape("forward_image.backbone_fpn.1"), x.FindLayer("sam_mask_decoder.conv_s1")!.OutputShape.ToArray());
        Assert.Equal(fx.Shape("trunk.patch_embed"), new[] { 1, x.Blocks[0].InHeight, x.Blocks[0].InWidth, x.Blocks[0].Dim });
        Assert.Equal(16, x.EmbeddingSize);
    }
}
