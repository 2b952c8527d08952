using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

/// <summary>The project's own sam2_mini spec end to end: shapes of every output, and gradients reach the trunk.</summary>
public class Sam2MiniTests
{
    [Fact]
    public void ImageAndPromptPathsProduceDocumentedShapesAndTrainableGradients()
    {
        manual_seed(21);
        using var model = new Sam2Model(OfficialSizes.Get("sam2_mini"));
        model.train();
        var s = model.Spec.ImageSize;
        var e = model.Spec.EmbeddingSize;
        var c = model.Spec.HiddenDim;
        using var image = randn(2, 3, s, s);
        using var features = model.ForwardImage(image);
        Assert.Equal(new long[] { 2, c, e, e }, features.ImageEmbed.shape);
        Assert.Equal(new long[] { 2, c / 8, 4 * e, 4 * e }, features.HighRes0.shape);
        Assert.Equal(new long[] { 2, c / 4, 2 * e, 2 * e }, features.HighRes1.shape);
        Assert.Equal(4, features.TrunkStages.Length);

        using var coords = tensor(new float[] { 10, 20, 100, 200, 50, 60, 30, 40 }, new long[] { 2, 2, 2 });
        using var labels = tensor(new[] { 2, 3, 1, 0 }, new long[] { 2, 2 });
        using var mask = randn(2, 1, 4 * e, 4 * e);
        using var output = model.PredictMasks(features, coords, labels, mask, multimaskOutput: false);
        Assert.Equal(new long[] { 2, 1, 4 * e, 4 * e }, output.Masks.shape);
        Assert.Equal(new long[] { 2, 4 }, output.RawIouPred.shape);

        using var loss = output.Masks.mean() + output.IouPred.mean() + output.ObjectScoreLogits.mean();
        loss.backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var name in new[] { "image_encoder.trunk.patch_embed.proj.weight", "image_encoder.trunk.pos_embed", "image_encoder.trunk.pos_embed_window",
                     "image_encoder.neck.convs.3.conv.weight", "no_mem_embed", "sam_mask_decoder.conv_s0.weight", "sam_prompt_encoder.mask_downscaling.0.weight",
                     "sam_prompt_encoder.point_embeddings.2.weight", "sam_mask_decoder.transformer.layers.0.self_attn.q_proj.weight" })
        {
            var g = grads[name];
            Assert.True(g is not null && g.abs().sum().item<float>() > 0, $"{name} received no gradient");
        }
    }
}
