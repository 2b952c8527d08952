using QSam2.Spec.Model;
using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

public class MaskDecoderUnitTests
{
    private static void ZeroSelfAttentionOutput(TwoWayAttentionBlock block)
    {
        var sd = block.state_dict();
        using (no_grad())
        {
            sd["self_attn.out_proj.weight"].zero_();
            sd["self_attn.out_proj.bias"].zero_();
        }
    }

    [Fact]
    public void FirstLayerSelfAttentionReplacesTokensWithoutResidual()
    {
        // With the self-attention output forced to zero, a first layer (no residual) forgets the incoming tokens:
        // two different token sets give the same result. A later layer keeps them through its residual.
        manual_seed(1);
        using var first = new TwoWayAttentionBlock(16, 2, 32, 2, skipFirstLayerPe: true, 1e-5);
        using var later = new TwoWayAttentionBlock(16, 2, 32, 2, skipFirstLayerPe: false, 1e-5);
        ZeroSelfAttentionOutput(first);
        ZeroSelfAttentionOutput(later);
        using var a = randn(1, 5, 16);
        using var b = randn(1, 5, 16);
        using var pe = randn(1, 5, 16);
        using var keys = randn(1, 9, 16);
        using var keyPe = randn(1, 9, 16);

        var (qa, ka) = first.Forward(a, keys, pe, keyPe);
        var (qb, kb) = first.Forward(b, keys, pe, keyPe);
        Assert.True(qa.allclose(qb, rtol: 1e-5, atol: 1e-6));
        Assert.True(ka.allclose(kb, rtol: 1e-5, atol: 1e-6));

        var (la, _) = later.Forward(a, keys, pe, keyPe);
        var (lb, _) = later.Forward(b, keys, pe, keyPe);
        Assert.False(la.allclose(lb, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void FirstLayerSelfAttentionIgnoresTheQueryPositionalEncoding()
    {
        // Layer 0 self-attention sees no PE, so changing query_pe only matters from the cross-attention on; with the
        // cross-attention outputs and MLP zeroed too, queries do not depend on query_pe at all.
        manual_seed(2);
        using var first = new TwoWayAttentionBlock(16, 2, 32, 2, skipFirstLayerPe: true, 1e-5);
        var sd = first.state_dict();
        using (no_grad())
        {
            foreach (var key in new[] { "cross_attn_token_to_image.out_proj", "mlp.layers.1" })
            {
                sd[key + ".weight"].zero_();
                sd[key + ".bias"].zero_();
            }
        }
        using var q = randn(1, 4, 16);
        using var keys = randn(1, 6, 16);
        using var keyPe = randn(1, 6, 16);
        using var pe1 = randn(1, 4, 16);
        using var pe2 = randn(1, 4, 16);
        var (a, _) = first.Forward(q, keys, pe1, keyPe);
        var (b, _) = first.Forward(q, keys, pe2, keyPe);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void StabilityScoreCountsLogitsAboveAndBelowDelta()
    {
        using var logits = tensor(new float[] { 0.1f, 0.04f, -0.04f, -0.1f, 1f, -1f, -2f, -3f }, new long[] { 2, 2, 2 });
        using var s = MaskSelection.StabilityScores(logits, 0.05);
        // mask 0: above +δ {0.1} = 1, above −δ {0.1, 0.04, −0.04} = 3; mask 1: 1 / 1.
        Assert.Equal(new[] { 1f / 3f, 1f }, s.data<float>().ToArray());
        using var empty = full(new long[] { 1, 2, 2 }, -5f);
        using var s2 = MaskSelection.StabilityScores(empty, 0.05);
        Assert.Equal(1f, s2.item<float>());
    }

    [Fact]
    public void DynamicFallbackKeepsStableToken0ElseBestOfTokens1To3()
    {
        using var masks = arange(2 * 4 * 2 * 2, dtype: ScalarType.Float32).reshape(2, 4, 2, 2);
        using var iou = tensor(new float[] { 0.9f, 0.1f, 0.7f, 0.3f, 0.2f, 0.4f, 0.8f, 0.6f }, new long[] { 2, 4 });
        using var stability = tensor(new float[] { 0.99f, 0.5f });
        var (m, i, t) = MaskSelection.DynamicFallback(masks, iou, stability, 0.98);
        using (m)
        using (i)
        using (t)
        {
            Assert.Equal(new long[] { 0, 2 }, t.flatten().data<long>().ToArray());
            Assert.Equal(new[] { 0.9f, 0.8f }, i.flatten().data<float>().ToArray());
            Assert.True(m[0, 0].equal(masks[0, 0]).all().item<bool>());
            Assert.True(m[1, 0].equal(masks[1, 2]).all().item<bool>());
        }
    }

    [Fact]
    public void TrainingModeSkipsTheStabilityFallback()
    {
        manual_seed(3);
        var spec = new MaskDecoderSpec { TransformerMlpDim = 32, IouHeadHiddenDim = 16 };
        using var decoder = new MaskDecoder(16, spec);
        using var embed = randn(1, 16, 4, 4);
        using var pe = randn(1, 16, 4, 4);
        using var sparse = randn(1, 2, 16);
        using var dense = randn(1, 16, 4, 4);
        using var hs0 = randn(1, 2, 16, 16);
        using var hs1 = randn(1, 4, 8, 8);
        decoder.train();
        using var trainOut = decoder.Forward(embed, pe, sparse, dense, false, false, hs0, hs1);
        Assert.Equal(new long[] { 0 }, trainOut.SelectedTokens.flatten().data<long>().ToArray());
        Assert.True(trainOut.Masks.equal(trainOut.RawMasks[.., 0..1]).all().item<bool>());
        Assert.Equal(new long[] { 1, 4, 16, 16 }, trainOut.RawMasks.shape);
        Assert.Equal(new long[] { 1, 1 }, trainOut.ObjectScoreLogits.shape);

        decoder.eval();
        using var multi = decoder.Forward(embed, pe, sparse, dense, true, false, hs0, hs1);
        Assert.Equal(new long[] { 1, 3, 16, 16 }, multi.Masks.shape);
        Assert.Equal(new long[] { 1, 3, 16 }, multi.SamTokensOut.shape);
        Assert.True(multi.SamTokensOut.equal(multi.MaskTokensOut[.., 1..]).all().item<bool>());
    }

    [Fact]
    public void PromptEncoderAppendsPaddingPointAndRejectsBadShapes()
    {
        using var model = new Sam2Model(FixtureA.Spec());
        using var coords = tensor(new float[] { 10, 20 }, new long[] { 1, 1, 2 });
        using var labels = tensor(new[] { 1 }, new long[] { 1, 1 });
        var (sparse, dense) = model.PromptEncoder.Forward(coords, labels, null);
        using (sparse)
        using (dense)
        {
            Assert.Equal(new long[] { 1, 2, 64 }, sparse.shape);
            Assert.Equal(new long[] { 1, 64, 16, 16 }, dense.shape);
            var notAPoint = model.state_dict()["sam_prompt_encoder.not_a_point_embed.weight"];
            Assert.True(sparse[0, 1].equal(notAPoint[0]).all().item<bool>());
        }
        using var badMask = zeros(1, 1, 32, 32);
        var ex = Assert.Throws<ArgumentException>(() => model.PromptEncoder.Forward(null, null, badMask));
        Assert.Contains("[B,1,64,64]", ex.Message);
    }
}
