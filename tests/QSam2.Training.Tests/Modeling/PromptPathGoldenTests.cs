using QSam2.Training.Modeling;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Modeling;

/// <summary>The five prompt cases of fixture-a: prompt encoder, two-way transformer, heads and output selection.</summary>
public class PromptPathGoldenTests
{
    private static FixtureA F => FixtureA.Instance;

    // multimask_output per case (prompts.json) and the mask token each returned mask comes from (fixture README:
    // cases 1, 4 and 5 fall back to token 2 because token 0's stability is below 0.98).
    public static TheoryData<string, bool, long[]> Cases => new()
    {
        { "case1", false, new long[] { 2 } },
        { "case2", true, new long[] { 1, 2, 3 } },
        { "case3", true, new long[] { 1, 2, 3 } },
        { "case4", false, new long[] { 2 } },
        { "case5", false, new long[] { 2 } },
    };

    private static (MaskDecoderOutput Output, ActivationCapture Capture) Run(string c, bool multimask)
    {
        using var noGrad = no_grad();
        using var coords = F.Input($"{c}.prompt_encoder.in.coords");
        var labelShape = F.Reference.Shape($"{c}.prompt_encoder.in.labels").Select(d => (long)d).ToArray();
        using var labels = tensor(F.Reference.Int($"{c}.prompt_encoder.in.labels"), labelShape, dtype: ScalarType.Int32);
        Tensor? mask = null;
        if (F.Reference.Names.Contains($"{c}.input.mask_input"))
        {
            using var m = F.Input($"{c}.input.mask_input");
            mask = m.unsqueeze(0);
        }
        var capture = new ActivationCapture();
        try
        {
            var output = F.Model.PredictMasks(F.Features, coords, labels, mask, multimask, capture);
            return (output, capture);
        }
        finally
        {
            mask?.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PromptEncoderMatchesReference(string c, bool multimask, long[] _)
    {
        var (output, capture) = Run(c, multimask);
        using (output)
        using (capture)
        {
            F.AssertClose($"{c}.prompt_encoder.sparse", capture["prompt_encoder.sparse"]);
            F.AssertClose($"{c}.prompt_encoder.dense", capture["prompt_encoder.dense"]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TwoWayTransformerMatchesReference(string c, bool multimask, long[] _)
    {
        var (output, capture) = Run(c, multimask);
        using (output)
        using (capture)
        {
            foreach (var layer in new[] { 0, 1 })
            {
                F.AssertClose($"{c}.decoder.transformer.layers.{layer}.queries", capture[$"decoder.transformer.layers.{layer}.queries"]);
                F.AssertClose($"{c}.decoder.transformer.layers.{layer}.keys", capture[$"decoder.transformer.layers.{layer}.keys"]);
            }
            F.AssertClose($"{c}.decoder.transformer.hs", capture["decoder.transformer.hs"]);
            F.AssertClose($"{c}.decoder.transformer.src", capture["decoder.transformer.src"]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaskHeadsMatchReference(string c, bool multimask, long[] _)
    {
        var (output, capture) = Run(c, multimask);
        using (output)
        using (capture)
        {
            F.AssertClose($"{c}.decoder.upscaled_embedding", capture["decoder.upscaled_embedding"]);
            F.AssertClose($"{c}.decoder.hyper_in", capture["decoder.hyper_in"]);
            F.AssertClose($"{c}.decoder.raw.masks", output.RawMasks);
            F.AssertClose($"{c}.decoder.raw.iou_pred", output.RawIouPred);
            F.AssertClose($"{c}.decoder.raw.mask_tokens_out", output.MaskTokensOut);
            F.AssertClose($"{c}.decoder.raw.object_score_logits", output.ObjectScoreLogits);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputSelectionMatchesReference(string c, bool multimask, long[] expectedTokens)
    {
        var (output, capture) = Run(c, multimask);
        using (output)
        using (capture)
        {
            F.AssertClose($"{c}.decoder.stability_score_token0", output.StabilityScores.unsqueeze(-1));
            Assert.Equal(expectedTokens, output.SelectedTokens[0].data<long>().ToArray());
            F.AssertClose($"{c}.decoder.out.masks", output.Masks);
            F.AssertClose($"{c}.decoder.out.iou_pred", output.IouPred);
            F.AssertClose($"{c}.decoder.out.sam_tokens_out", output.SamTokensOut);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PredictorPostprocessingOfDecoderOutputMatchesReference(string c, bool multimask, long[] _)
    {
        // SAM2ImagePredictor: low-res logits clamped to ±32; masks upsampled straight to the original size
        // (bilinear, align_corners false) and thresholded at 0.
        var (output, capture) = Run(c, multimask);
        using (output)
        using (capture)
        using (var lowRes = output.Masks[0].clamp(-32, 32))
        using (var logits = nn.functional.interpolate(output.Masks, new long[] { 200, 300 }, mode: InterpolationMode.Bilinear, align_corners: false)[0])
        {
            F.AssertClose($"{c}.predict.low_res_masks", lowRes);
            F.AssertClose($"{c}.predict.iou_predictions", output.IouPred[0]);
            F.AssertClose($"{c}.predict.masks_logits", logits);

            var expectedLogits = F.Reference.Float($"{c}.predict.masks_logits");
            var expectedMasks = F.Reference.Bytes($"{c}.predict.masks");
            var tol = 1e-4 * expectedLogits.Max(Math.Abs) + 1e-5;
            var actual = logits.contiguous().data<float>().ToArray();
            for (var i = 0; i < actual.Length; i++)
            {
                if (Math.Abs(expectedLogits[i]) <= tol) continue;
                Assert.True((actual[i] > 0 ? 1 : 0) == expectedMasks[i], $"{c}.predict.masks differs at flat index {i}");
            }
        }
    }

    [Fact]
    public void Case4MaskInputIsCase2BestIouMask()
    {
        // The fixture built case 4's mask prompt from case 2's argmax-IoU mask (index 1): the decision must agree.
        var (output, capture) = Run("case2", true);
        using (output)
        using (capture)
        {
            Assert.Equal(1L, output.IouPred[0].argmax().item<long>());
            using var clamped = output.Masks[0, 1].clamp(-32, 32).unsqueeze(0);
            F.AssertClose("case4.input.mask_input", clamped);
        }
    }
}
