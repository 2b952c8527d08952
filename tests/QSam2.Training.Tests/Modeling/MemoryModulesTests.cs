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
    public void RotatingQueryAndKeyAtTheSamePositionKeepsTheirDotProduct()
    {
        // RoPE scores depend only on relative position: at equal positions q·k is unchanged by the rotation.
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

    [Fact]
    public void ObjectPointerUsesBestIouTokenAndFallsBackToNoObjPtrWhenAbsent()
    {
        manual_seed(12);
        using var model = new Sam2Model(FixtureA.Spec());
        model.eval();
        using var tokens = randn(2, 3, 64);
        using var iou = tensor(new float[] { 0.1f, 0.9f, 0.3f, 0.5f, 0.2f, 0.4f }, new long[] { 2, 3 });
        using var score = tensor(new float[] { 1.5f, -0.5f }, new long[] { 2, 1 });
        using var dummy = zeros(1);
        var output = new MaskDecoderOutput(dummy, iou, tokens, score, dummy, dummy, dummy, dummy, dummy);
        using var ptr = model.ObjectPointer(output);
        using var expected0 = model.ObjPtrProj.call(tokens[0, 1].unsqueeze(0))[0];
        Assert.True(ptr[0].allclose(expected0, rtol: 1e-5, atol: 1e-6));
        Assert.True(ptr[1].allclose(model.NoObjPtr[0], rtol: 1e-6, atol: 1e-7));
    }
}
