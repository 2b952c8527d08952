namespace QSam2.Segmenter.Tests.Infrastructure;

/// <summary>FP32 segmenter for the official fixture-a model, generated at build time by this project's analyzer.</summary>
[QSam2.Sam2Segmenter("fixture-a.arch.json")]
internal sealed partial class FixtureASegmenter;
