using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;

namespace QSam2.Spec.Tests;

/// <summary>Block schedules against sam2-architecture.md §1.1 and the §4.4 table.</summary>
public class HieraScheduleTests
{
    private static ExpandedArch Load(string name) => ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.ArchSpec(name)));

    // block, stage, dim, dim_out, heads, window (0 = global), q-pool, in map, padded, windows, q tok/win, k tok/win, out map
    [Theory]
    [InlineData(0, 1, 96, 96, 1, 8, false, 256, 256, 1024, 64, 64, 256)]
    [InlineData(1, 2, 96, 192, 2, 8, true, 256, 256, 1024, 16, 64, 128)]
    [InlineData(2, 2, 192, 192, 2, 4, false, 128, 128, 1024, 16, 16, 128)]
    [InlineData(3, 3, 192, 384, 4, 4, true, 128, 128, 1024, 4, 16, 64)]
    [InlineData(4, 3, 384, 384, 4, 14, false, 64, 70, 25, 196, 196, 64)]
    [InlineData(5, 3, 384, 384, 4, 0, false, 64, 64, 1, 4096, 4096, 64)]
    [InlineData(6, 3, 384, 384, 4, 14, false, 64, 70, 25, 196, 196, 64)]
    [InlineData(7, 3, 384, 384, 4, 0, false, 64, 64, 1, 4096, 4096, 64)]
    [InlineData(8, 3, 384, 384, 4, 14, false, 64, 70, 25, 196, 196, 64)]
    [InlineData(9, 3, 384, 384, 4, 0, false, 64, 64, 1, 4096, 4096, 64)]
    [InlineData(10, 4, 384, 768, 8, 14, true, 64, 70, 25, 49, 196, 32)]
    [InlineData(11, 4, 768, 768, 8, 7, false, 32, 35, 25, 49, 49, 32)]
    public void Hiera_t_matches_table_4_4(int i, int stage, int dim, int dimOut, int heads, int window, bool qPool, int inMap, int padded, int windows, int q, int k, int outMap)
    {
        var b = Load("sam2.1_hiera_t").Blocks[i];
        Assert.Equal(i, b.Index);
        Assert.Equal(stage, b.Stage);
        Assert.Equal(dim, b.Dim);
        Assert.Equal(dimOut, b.DimOut);
        Assert.Equal(heads, b.Heads);
        Assert.Equal(96, b.HeadDim);
        Assert.Equal(window, b.WindowSize);
        Assert.Equal(window == 0, b.IsGlobal);
        Assert.Equal(qPool, b.IsQPool);
        Assert.Equal(qPool ? 2 : 1, b.QStride);
        Assert.Equal(inMap, b.InHeight);
        Assert.Equal(padded, b.PaddedHeight);
        Assert.Equal(windows, b.Windows);
        Assert.Equal(q, b.QueryTokens);
        Assert.Equal(k, b.KeyTokens);
        Assert.Equal(outMap, b.OutHeight);
        Assert.Equal(dim != dimOut, b.HasProjection);
        Assert.Equal(4 * dimOut, b.MlpHidden);
    }

    [Fact]
    public void Hiera_t_has_12_blocks_and_stage_ends_0_2_9_11()
    {
        var x = Load("sam2.1_hiera_t");
        Assert.Equal(12, x.Blocks.Count);
        Assert.Equal(new[] { 0, 2, 9, 11 }, x.Blocks.Where(b => b.IsStageEnd).Select(b => b.Index));
        Assert.Equal(new[] { 96, 192, 384, 768 }, x.Stages.Select(s => s.Channels));
        Assert.Equal(new[] { 4, 8, 16, 32 }, x.Stages.Select(s => s.Stride));
        Assert.Equal(new[] { 256, 128, 64, 32 }, x.Stages.Select(s => s.Height));
    }

    [Fact]
    public void Hiera_s_blocks_3_to_13_are_stage_3()
    {
        var b = Load("sam2.1_hiera_s").Blocks;
        Assert.Equal(16, b.Count);
        Assert.Equal(new[] { 1, 3, 14 }, b.Where(x => x.IsQPool).Select(x => x.Index));
        Assert.Equal(new[] { 7, 10, 13 }, b.Where(x => x.IsGlobal).Select(x => x.Index));
        Assert.Equal(14, b[14].WindowSize);
        Assert.Equal(7, b[15].WindowSize);
        Assert.All(b.Skip(3).Take(11), x => Assert.Equal(3, x.Stage));
    }

    [Fact]
    public void Hiera_b_plus_schedule()
    {
        var b = Load("sam2.1_hiera_b+").Blocks;
        Assert.Equal(24, b.Count);
        Assert.All(b.Take(2), x => Assert.Equal((8, 112, 2), (x.WindowSize, x.DimOut, x.Heads)));
        Assert.Equal((8, true, 224, 4), (b[2].WindowSize, b[2].IsQPool, b[2].DimOut, b[2].Heads));
        Assert.All(b.Skip(3).Take(2), x => Assert.Equal(4, x.WindowSize));
        Assert.Equal((4, true, 448, 8), (b[5].WindowSize, b[5].IsQPool, b[5].DimOut, b[5].Heads));
        for (int i = 6; i <= 20; i++) Assert.Equal(i is 12 or 16 or 20 ? 0 : 14, b[i].WindowSize);
        Assert.Equal((14, true, 896, 16), (b[21].WindowSize, b[21].IsQPool, b[21].DimOut, b[21].Heads));
        Assert.All(b.Skip(22), x => Assert.Equal(7, x.WindowSize));
        Assert.All(b, x => Assert.Equal(56, x.HeadDim));
    }

    [Fact]
    public void Hiera_l_schedule()
    {
        var b = Load("sam2.1_hiera_l").Blocks;
        Assert.Equal(48, b.Count);
        Assert.Equal(new[] { 2, 8, 44 }, b.Where(x => x.IsQPool).Select(x => x.Index));
        Assert.Equal(new[] { 23, 33, 43 }, b.Where(x => x.IsGlobal).Select(x => x.Index));
        for (int i = 9; i <= 43; i++)
        {
            if (b[i].IsGlobal) continue;
            Assert.Equal(16, b[i].WindowSize);
            Assert.Equal(64, b[i].PaddedHeight); // 64² map, no padding
        }
        Assert.Equal((16, 1152), (b[44].WindowSize, b[44].DimOut));
        Assert.All(b.Skip(45), x => Assert.Equal(8, x.WindowSize));
        Assert.All(b, x => Assert.Equal(72, x.HeadDim));
    }

    [Fact]
    public void Fixture_a_schedule_matches_the_reference_readme()
    {
        // fixture-a README: block 4 window 0, block 5 window 6, block 6 "dim 96->192, window_size 6, q_stride [2, 2]".
        var b = ArchExpansion.Expand(ArchSpecReader.ReadFile(RepoPaths.FixtureAArch)).Blocks;
        Assert.Equal(new[] { 8, 8, 4, 4, 0, 6, 6 }, b.Select(x => x.WindowSize));
        Assert.Equal(new[] { 24, 48, 48, 96, 96, 96, 192 }, b.Select(x => x.DimOut));
        Assert.Equal(new[] { 1, 3, 6 }, b.Where(x => x.IsQPool).Select(x => x.Index));
        // Block 6 pools a 16² map with window 6 (padded 18², 9 windows) into 3×3 query windows on 8².
        Assert.Equal((16, 18, 9, 9, 36, 8), (b[6].InHeight, b[6].PaddedHeight, b[6].Windows, b[6].QueryTokens, b[6].KeyTokens, b[6].OutHeight));
    }
}
