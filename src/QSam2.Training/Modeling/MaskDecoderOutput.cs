using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Mask decoder results. Selected outputs: <paramref name="Masks"/> <c>[B,M,4e,4e]</c> low-res logits (unclamped),
/// <paramref name="IouPred"/> <c>[B,M]</c>, <paramref name="SamTokensOut"/> <c>[B,M',C]</c> (tokens for the object
/// pointer), <paramref name="ObjectScoreLogits"/> <c>[B,1]</c>. Raw (before selection): <paramref name="RawMasks"/>
/// <c>[B,4,4e,4e]</c>, <paramref name="RawIouPred"/> <c>[B,4]</c>, <paramref name="MaskTokensOut"/> <c>[B,4,C]</c>.
/// <paramref name="StabilityScores"/> <c>[B]</c> is token 0's stability score; <paramref name="SelectedTokens"/>
/// <c>[B,M]</c> (int64) the mask-token index behind each selected mask.
/// </summary>
public sealed record MaskDecoderOutput(
    Tensor Masks,
    Tensor IouPred,
    Tensor SamTokensOut,
    Tensor ObjectScoreLogits,
    Tensor RawMasks,
    Tensor RawIouPred,
    Tensor MaskTokensOut,
    Tensor StabilityScores,
    Tensor SelectedTokens) : IDisposable
{
    private Tensor[] All => new[] { Masks, IouPred, SamTokensOut, ObjectScoreLogits, RawMasks, RawIouPred, MaskTokensOut, StabilityScores, SelectedTokens };

    /// <summary>Moves every tensor out of the current dispose scope (for callers that wrap the decoder in their own scope).</summary>
    public MaskDecoderOutput MoveToOuterDisposeScope()
    {
        foreach (var t in All) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in All) t.Dispose();
    }
}
