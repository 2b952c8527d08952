namespace QSam2.Runtime.Kernels.Float;

/// <summary>Memory layout of a convolution's input feature map (batch 1).</summary>
public enum ConvInputLayout
{
    /// <summary>NCHW: element (c, y, x) at <c>c·H·W + y·W + x</c> (the preprocessed image, mask inputs).</summary>
    Planar,

    /// <summary>NHWC: element (c, y, x) at <c>(y·W + x)·C + c</c> (token-major feature maps).</summary>
    ChannelsLast,
}
