namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// One Hiera block as the reference constructs it (sam2-architecture.md §1.1, §4.3) plus its sizes at the
/// expansion's image size. <see cref="Stage"/> is 1-based; the first block of a stage already belongs to the
/// new stage (new dims and heads) but keeps the previous stage's window. <see cref="WindowSize"/> 0 = global.
/// Map sizes: <see cref="InHeight"/> before the block, <see cref="OutHeight"/> after (halved by q-pooling);
/// <see cref="PaddedHeight"/> is the zero-padded map that is cut into windows; per window there are
/// <see cref="QueryTokens"/> queries (after q-pooling) and <see cref="KeyTokens"/> keys.
/// </summary>
public sealed record HieraBlock(
    int Index,
    int Stage,
    int Dim,
    int DimOut,
    int Heads,
    int WindowSize,
    bool IsGlobal,
    bool IsQPool,
    int QStride,
    int MlpHidden,
    bool IsStageEnd,
    int InHeight,
    int InWidth,
    int OutHeight,
    int OutWidth,
    int PaddedHeight,
    int PaddedWidth,
    int Windows,
    int QueryTokens,
    int KeyTokens)
{
    public int HeadDim => DimOut / Heads;

    /// <summary>True for stage-transition blocks, which have the shortcut projection <c>proj</c> (dim → dim_out).</summary>
    public bool HasProjection => Dim != DimOut;
}

/// <summary>One trunk stage: its blocks, width, heads and output map (stride relative to the input image).</summary>
public sealed record TrunkStage(int Stage, int FirstBlock, int LastBlock, int Channels, int Heads, int Height, int Width, int Stride);
