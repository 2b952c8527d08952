namespace QSam2.Runtime.Segmenters;

/// <summary>Sees the float input of a weight layer (one row tile at a time), e.g. to record calibration ranges.</summary>
public delegate void LayerInputObserver(LinearLayer layer, ReadOnlySpan<float> input);
