namespace QSam2.Cli.Prompts;

/// <summary>One click in original-image pixels; label 1 = foreground, 0 = background.</summary>
public readonly record struct ClickPrompt(float X, float Y, int Label);
