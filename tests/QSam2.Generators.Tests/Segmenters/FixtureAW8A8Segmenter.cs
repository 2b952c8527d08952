namespace QSam2.Generators.Tests.Segmenters;

/// <summary>W8A8 segmenter for the fixture's model (generated at build time by this project's analyzer).</summary>
[QSam2.Sam2Segmenter("fixture-a.arch.json", "fixture-a.w8a8.quant.json")]
internal sealed partial class FixtureAW8A8Segmenter;
