namespace QSam2.Generators.Tests.Segmenters;

/// <summary>FP32 segmenter for the official golden fixture's reduced Hiera-T (generated at build time by this project's analyzer).</summary>
[QSam2.Sam2Segmenter("fixture-a.arch.json")]
internal sealed partial class FixtureASegmenter;
