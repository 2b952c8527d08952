namespace QSam2.Generators.Model;

/// <summary>One generated file: hint name and full text. Equatable so unchanged text is not re-added.</summary>
public sealed record GeneratedSource(string HintName, string Text);
