using System.Runtime.InteropServices;
using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Tests.Kernels;

public class WeightPanelTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public void DecodedPanels_HoldTheCanonicalCodes_InKernelOrder(int bits)
    {
        var rng = new Random(bits);
        int n = 37, k = 45; // N and K both ragged: zero padding in the last panel and past K
        var w = QuantizedWeights.Create(TestData.WeightCodes(rng, n * k, bits), Enumerable.Repeat(1f, n).ToArray(), n, k, bits, 0, "panel");
        var p = QuantGemm.PackWeights(w);
        Assert.Equal(48, p.Kp);
        Assert.Equal(3, p.Panels);
        Assert.Equal(p.Panels * p.Kp / 4 * p.BlockBytes, p.PackedBytes);
        Assert.Equal(bits * 64 / 8, p.BlockBytes);

        var scalar = new byte[p.DecodedPanelBytes];
        var avx = new byte[p.DecodedPanelBytes];
        for (int panel = 0; panel < p.Panels; panel++)
        {
            p.DecodePanelScalar(panel, scalar);
            for (int j = 0; j < 16; j++)
            {
                int col = panel * 16 + j;
                for (int kk = 0; kk < p.Kp; kk++)
                {
                    int expected = col < n && kk < k ? w.Codes[col * k + kk] : 0;
                    int got = bits == 8
                        ? MemoryMarshal.Cast<byte, short>(scalar)[32 * (kk >> 1) + 2 * j + (kk & 1)]
                        : (sbyte)scalar[64 * (kk >> 2) + 4 * j + (kk & 3)];
                    Assert.True(expected == got, $"W{bits} panel {panel} col {j} k {kk}: expected {expected}, decoded {got}");
                }
            }
            p.DecodePanel(panel, avx); // AVX2 decode when available
            Assert.Equal(scalar, avx);
        }
    }

    [Fact]
    public void PerGroupPanels_RequireGroupsOf16()
    {
        var w = QuantizedWeights.Create(new sbyte[2 * 24], new float[] { 1, 1, 1, 1 }, 2, 24, 4, 12, "g12");
        var e = Assert.Throws<ArgumentException>(() => QuantGemm.PackWeights(w));
        Assert.Contains("multiple of 16", e.Message);
    }
}
