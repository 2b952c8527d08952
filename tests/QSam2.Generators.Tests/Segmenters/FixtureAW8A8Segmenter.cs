namespace QSam2.Generators.Tests.Segmenters;

/// <summary>W8A8 segmenter for the fixture's model (generated at build time by this project's analyzer).</summary>
[QSam2.Sam2Segmenter("fixture_a.arch.json", "fixture_a.w8a8.quant.json")]
internal sealed partial class FixtureAW8A8Segmenter;
