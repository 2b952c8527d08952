namespace QSam2.Cli.Prompts;

/// <summary>A box <c>x0,y0,x1,y1</c> (XYXY) in original-image pixels.</summary>
public readonly record struct BoxPrompt(float X0, float Y0, float X1, float Y1);
