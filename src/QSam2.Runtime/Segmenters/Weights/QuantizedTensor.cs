namespace QSam2.Runtime.Segmenters;

/// <summary>A quantized weight as stored: canonical signed codes in the official layout and its scales.</summary>
public sealed record QuantizedTensor(sbyte[] Codes, int[] Shape, float[] Scales, int[] ScaleShape);
