using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

/// <summary>State-dict totals of the released checkpoints (sam2-architecture.md §1.4, README "Size (M)").</summary>
public class OfficialInventoryTests
{
    [Theory]
    [InlineData("sam2.1_hiera_t", 38_962_754L, 471)]
    [InlineData("sam2.1_hiera_s", 46_060_610L, 519)]
    [InlineData("sam2.1_hiera_b+", 80_850_434L, 615)]
    [InlineData("sam2.1_hiera_l", 224_446_898L, 903)]
    public void Totals_match_released_checkpoints(string name, long elements, int keys)
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec(name)));
        Assert.Equal(elements, x.TotalParameters);
        Assert.Equal(keys, x.StateDictKeyCount);
        Assert.Equal(keys, x.StateDictInventory.Select(e => e.Key).Distinct().Count());
    }

    [Theory]
    [InlineData("sam2.1_hiera_t", 26_849_472L, 369_664L)]
    [InlineData("sam2.1_hiera_s", 33_947_328L, 369_664L)]
    [InlineData("sam2.1_hiera_b+", 68_675_712L, 431_104L)]
    [InlineData("sam2.1_hiera_l", 212_149_296L, 553_984L)]
    public void Per_component_counts_match_section_1_4(string name, long trunk, long neck)
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec(name)));
        Assert.Equal(trunk, x.ParameterCount(ModelComponent.Trunk));
        Assert.Equal(neck, x.ParameterCount(ModelComponent.Neck));
        Assert.Equal(6_476L, x.ParameterCount(ModelComponent.PromptEncoder));
        Assert.Equal(4_215_109L, x.ParameterCount(ModelComponent.MaskDecoder));
        Assert.Equal(5_922_304L, x.ParameterCount(ModelComponent.MemoryAttention));
        Assert.Equal(1_384_608L, x.ParameterCount(ModelComponent.MemoryEncoder));
        Assert.Equal(215_121L, x.ParameterCount(ModelComponent.TopLevel));
        Assert.Equal(x.TotalParameters, x.ComponentParameterCounts.Sum(c => c.Parameters));
    }

    [Fact]
    public void Image_path_of_tiny_matches_section_1_4()
    {
        var x = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t")));
        long imagePath = x.ParameterCount(ModelComponent.Trunk) + x.ParameterCount(ModelComponent.Neck)
            + x.ParameterCount(ModelComponent.PromptEncoder) + x.ParameterCount(ModelComponent.MaskDecoder)
            + x.StateDictInventory.Single(e => e.Key == "no_mem_embed").ElementCount;
        Assert.Equal(31_440_977L, imagePath);
        // Trainable = total - the random-Fourier buffer.
        Assert.Equal(256L, x.StateDictInventory.Where(e => e.IsBuffer).Sum(e => e.ElementCount));
    }

    [Fact]
    public void Sam20_tiny_lacks_exactly_the_three_2_1_keys()
    {
        var v21 = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t")));
        var v20 = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2_hiera_t")));
        var missing = v21.StateDictInventory.Select(e => e.Key).Except(v20.StateDictInventory.Select(e => e.Key)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "no_obj_embed_spatial", "obj_ptr_tpos_proj.bias", "obj_ptr_tpos_proj.weight" }, missing);
        Assert.Empty(v20.StateDictInventory.Select(e => e.Key).Except(v21.StateDictInventory.Select(e => e.Key)));
        Assert.Equal(16_512L, v21.TotalParameters - v20.TotalParameters);
        Assert.Equal(468, v20.StateDictKeyCount);
    }
}
