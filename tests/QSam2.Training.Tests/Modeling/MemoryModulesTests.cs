using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

public class MemoryModulesTests
{
    [Fact]
    public void MemoryEncoderProducesMemoryWidthFeaturesAndSinePe()
    {
        manual_seed(4);
        using var model = new Sam2Model(FixtureA.Spec());
        model.eval();
        using var pix = randn(2, 64, 16, 16);
        using var mask = randn(2, 1, 256, 256);
        var (features, pos) = model.MemoryEncoder.Forward(pix, mask);
        using (features)
        using (pos)
        {
            Assert.Equal(new long[] { 2, 32, 16, 16 }, features.shape);
            using var expectedPos = new PositionEmbeddingSine(32).Encode(2, 16, 16, CPU);
            Assert.True(pos.allclose(expectedPos));
        }
    }

    [Fact]
    public void MemoryAttentionExcludesPointerTokensFromRope()
    {
        manual_seed(6);
        using var model = new Sam2Model(FixtureA.Spec());
        model.eval();
        using var curr = randn(1, 256, 64);
        using var currPos = randn(1, 256, 64);
        using var memory = randn(1, 2 * 256 + 8, 32);
        using var memoryPos = randn(1, 2 * 256 + 8, 32);
        using var outWithPtr = model.MemoryAttention.Forward(curr, currPos, memory, memoryPos, numObjPtrTokens: 8);
        Assert.Equal(new long[] { 1, 256, 64 }, outWithPtr.shape);
        // Two memory frames need the RoPE pattern repeated; 8 pointer tokens cannot be rotated as a partial frame.
        Assert.Throws<ArgumentException>(() => model.MemoryAttention.Forward(curr, currPos, memory, memoryPos, numObjPtrTokens: 0));
    }

    [Fact]
    public void RopeAttentionIsInvariantToAJointShiftOfQueryAndKeyGrids()
    {
        // With rotary encoding, attention scores depend on relative positions only. Cyclic shifts break that at the
        // border, so check the core property directly: rotating q and k by the same angle leaves q·k unchanged.
        var (cos, sin) = RotaryEncoding.AxialTables(8, 4, 4, 10000, CPU);
        using (cos)
        using (sin)
        {
            manual_seed(8);
            using var v = randn(1, 1, 1, 8);
            using var w = randn(1, 1, 1, 8);
            using var vr = RotaryEncoding.Apply(v.expand(1, 1, 16, 8), cos, sin);
            using var wr = RotaryEncoding.Apply(w.expand(1, 1, 16, 8), cos, sin);
            using var dots = (vr * wr).sum(-1);
            using var plain = (v * w).sum();
            Assert.True(dots.allclose(plain.expand_as(dots), rtol: 1e-4, atol: 1e-5));
        }
    }
}
