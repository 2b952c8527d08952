using QSam2.Spec.Model;
using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

public class HieraBlockTests
{
    [Fact]
    public void ScheduleLagsTheWindowByOneBlockAtStageChanges()
    {
        // Hiera-T (architecture doc §4.4): block 1 keeps stage 1's window 8, block 3 keeps window 4, block 10 window 14.
        var plans = HieraBlockPlan.Build(OfficialSizes.Get("sam2.1_hiera_t").Trunk);
        Assert.Equal(new[] { 8, 8, 4, 4, 14, 0, 14, 0, 14, 0, 14, 7 }, plans.Select(p => p.WindowSize));
        Assert.Equal(new[] { 1, 3, 10 }, plans.Where(p => p.QPool).Select(p => p.Index));
        Assert.Equal(new[] { 96, 192, 192, 384, 384, 384, 384, 384, 384, 384, 768, 768 }, plans.Select(p => p.DimOut));
        Assert.Equal(new[] { 1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 8, 8 }, plans.Select(p => p.Heads));
        Assert.Equal(new[] { 96, 192, 384, 768 }, HieraBlockPlan.StageChannels(OfficialSizes.Get("sam2.1_hiera_t").Trunk));
    }

    [Fact]
    public void LargeScheduleMatchesTheDocumentedLayout()
    {
        var plans = HieraBlockPlan.Build(OfficialSizes.Get("sam2.1_hiera_l").Trunk);
        Assert.Equal(48, plans.Count);
        Assert.Equal(new[] { 2, 8, 44 }, plans.Where(p => p.QPool).Select(p => p.Index));
        Assert.Equal(16, plans[44].WindowSize);
        Assert.Equal(8, plans[45].WindowSize);
        Assert.Equal(0, plans[33].WindowSize);
    }

    [Fact]
    public void QPoolingAttentionPoolsOnlyQueriesWithinEachWindow()
    {
        // Reference computed by hand: queries max-pooled 2×2, keys/values full, softmax(q·kᵀ/√d)·v per head.
        manual_seed(3);
        const int dim = 8, dimOut = 16, heads = 2, ws = 4;
        using var attn = new MultiScaleAttention(dim, dimOut, heads, new long[] { 2, 2 });
        using var x = randn(3, ws, ws, dim);
        using var y = attn.call(x);
        Assert.Equal(new long[] { 3, 2, 2, dimOut }, y.shape);

        var sd = attn.state_dict();
        using var qkv = nn.functional.linear(x, sd["qkv.weight"], sd["qkv.bias"]).reshape(3, ws, ws, 3, heads, dimOut / heads);
        using var q = qkv.select(3, 0);
        using var k = qkv.select(3, 1).reshape(3, ws * ws, heads, -1).permute(0, 2, 1, 3);
        using var v = qkv.select(3, 2).reshape(3, ws * ws, heads, -1).permute(0, 2, 1, 3);
        // 2×2 max over each 2×2 block of query positions.
        using var qPooled = q.reshape(3, 2, 2, 2, 2, heads, -1).amax(new long[] { 2, 4 }).reshape(3, 4, heads, -1).permute(0, 2, 1, 3);
        using var scores = qPooled.matmul(k.transpose(-1, -2)) / Math.Sqrt(dimOut / heads);
        using var o = scores.softmax(-1).matmul(v).permute(0, 2, 1, 3).reshape(3, 2, 2, dimOut);
        using var expected = nn.functional.linear(o, sd["proj.weight"], sd["proj.bias"]);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void StageTransitionShortcutIsPooledProjectionOfNormalizedInput()
    {
        // With attention and MLP outputs zeroed, the block returns exactly its shortcut.
        manual_seed(5);
        var plan = new HieraBlockPlan(1, 2, 8, 16, 2, 4, QPool: true);
        using var block = new MultiScaleBlock(plan, new long[] { 2, 2 }, 4.0, 1e-6);
        var sd = block.state_dict();
        using (no_grad())
        {
            sd["attn.proj.weight"].zero_();
            sd["attn.proj.bias"].zero_();
            sd["mlp.layers.1.weight"].zero_();
            sd["mlp.layers.1.bias"].zero_();
        }
        using var x = randn(1, 6, 6, 8) * 3 + 1;
        using var y = block.call(x);
        using var xn = nn.functional.layer_norm(x, new long[] { 8 }, sd["norm1.weight"], sd["norm1.bias"], 1e-6);
        using var proj = nn.functional.linear(xn, sd["proj.weight"], sd["proj.bias"]);
        using var expected = nn.functional.max_pool2d(proj.permute(0, 3, 1, 2), new long[] { 2, 2 }, new long[] { 2, 2 }).permute(0, 2, 3, 1);
        Assert.Equal(new long[] { 1, 3, 3, 16 }, y.shape);
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void PaddedWindowTokensTakePartInAttention()
    {
        // A 5×5 map with window 4 pads to 8×8. The bottom-right window holds one real token and 15 zero tokens whose
        // keys/values are the qkv bias; SAM2 uses no mask, so the real token attends to all 16.
        manual_seed(11);
        const int dim = 8;
        var plan = new HieraBlockPlan(0, 1, dim, dim, 1, 4, QPool: false);
        using var block = new MultiScaleBlock(plan, new long[] { 2, 2 }, 4.0, 1e-6);
        var sd = block.state_dict();
        using (no_grad())
        {
            sd["mlp.layers.1.weight"].zero_();
            sd["mlp.layers.1.bias"].zero_();
        }
        using var x = randn(1, 5, 5, dim);
        using var y = block.call(x);
        using var attnPart = (y - x)[0, 4, 4];

        using var xn = nn.functional.layer_norm(x, new long[] { dim }, sd["norm1.weight"], sd["norm1.bias"], 1e-6);
        using var window = zeros(16, dim);
        using (no_grad()) window[0].copy_(xn[0, 4, 4]);
        using var qkv = nn.functional.linear(window, sd["attn.qkv.weight"], sd["attn.qkv.bias"]);
        using var q = qkv[.., ..dim];
        using var k = qkv[.., dim..(2 * dim)];
        using var v = qkv[.., (2 * dim)..];
        using var o = (q[..1].matmul(k.t()) / Math.Sqrt(dim)).softmax(-1).matmul(v);
        using var expected = nn.functional.linear(o, sd["attn.proj.weight"], sd["attn.proj.bias"])[0];
        Assert.True(attnPart.allclose(expected, rtol: 1e-5, atol: 1e-6));

        // Masking the padding would reduce attention to the token itself: proj(v_self). That must not be what we get.
        using var masked = nn.functional.linear(v[0], sd["attn.proj.weight"], sd["attn.proj.bias"]);
        Assert.False(attnPart.allclose(masked, rtol: 1e-3, atol: 1e-4));
    }
}
