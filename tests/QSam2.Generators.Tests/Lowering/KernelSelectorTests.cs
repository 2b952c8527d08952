extern alias gen;
using System.Reflection;
using gen::QSam2.Generators.Lowering;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Generators.Tests.Lowering;

public class KernelSelectorTests
{
    /// <summary>Every bit pair the generator accepts names a QuantGemm entry point that exists, and no other pair does.</summary>
    [Fact]
    public void AcceptedBitPairs_AreExactlyTheRuntimeVariants()
    {
        var methods = typeof(QuantGemm).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        foreach (int w in new[] { 2, 3, 4, 8 })
        {
            foreach (int a in Enumerable.Range(2, 7))
            {
                bool runtime = methods.Contains($"Gemm_W{w}A{a}_PerChannel") && methods.Contains($"Gemm_W{w}A{a}_PerGroup");
                Assert.Equal(runtime, KernelSelector.HasVariant(w, a));
            }
        }
    }

    /// <summary>The generator picks the few-keys attention only for prompts the runtime kernel accepts.</summary>
    [Fact]
    public void FewKeysAttentionLimit_IsTheRuntimeKernels()
    {
        Assert.Equal(QSam2.Runtime.Kernels.Float.FewKeysAttention.MaxKeys, LoweringContext.FewKeysAttentionMaxKeys);
        Assert.Equal(QSam2.Runtime.Kernels.Float.AttentionCore.QueryBlock, LoweringContext.AttentionQueryBlock);
    }

    [Theory]
    [InlineData(65536, 96, 288, true)]
    [InlineData(8, 256, 2048, false)]
    [InlineData(1, 256, 4, true)]
    [InlineData(4096, 3072, 768, false)]
    public void RowTile_IsAMultipleOf16WithinTheRowsAndBudget(int rows, int k, int n, bool quantized)
    {
        int tile = KernelSelector.RowTile(rows, k, n, quantized);
        Assert.InRange(tile, 1, rows);
        if (tile < rows) Assert.Equal(0, tile % 16);
        long perRow = (long)k * (quantized ? 1 : 4) + 4L * n;
        Assert.True(tile == Math.Min(rows, 16) || tile * perRow <= KernelSelector.TileBudgetBytes);
    }

    /// <summary>The generator's scratch bound for the integer GEMM covers what the runtime kernel asks for.</summary>
    [Theory]
    [InlineData(96, 288, 4, 480)]
    [InlineData(3072, 768, 8, 16)]
    [InlineData(147, 96, 2, 64)]
    [InlineData(24, 72, 3, 1)]
    public void DecodedWeightScratch_CoversTheKernel(int k, int n, int bits, int tile)
    {
        var rng = new Random(1);
        var w = WeightQuantizer.Quantize(Enumerable.Range(0, n * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(), n, k, bits);
        var panels = QuantGemm.PackWeights(w);
        long kp = (k + 15) / 16 * 16;
        long bound = 64 + (KernelSelector.DecodedWeightBytes(k, n, bits) + 63) / 64 * 64 + (tile + 3) / 4 * 4 * kp * 2;
        Assert.True(bound >= QuantGemm.ScratchBytes(panels, tile), $"bound {bound} < {QuantGemm.ScratchBytes(panels, tile)}");
    }
}
