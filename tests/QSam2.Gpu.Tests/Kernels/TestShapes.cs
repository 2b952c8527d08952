using QSam2.Gpu.Kernels;

namespace QSam2.Gpu.Tests.Kernels;

// Layer shapes as the generator would declare them: constants only. Odd sizes on purpose (K not a multiple of 16,
// N not a multiple of the tile, M chosen by each test) so that every padding and bounds path runs.

/// <summary>K 40 (padded to 48), N 23, codes in, bias, float out.</summary>
internal readonly struct CodesK40N23 : IGemmShape
{
    public int K => 40; public int N => 23; public int GroupSize => 40; public GemmInput Input => GemmInput.Codes;
    public bool HasBias => true; public bool Gelu => false; public bool Residual => false; public bool QuantizeOutput => false;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>K 64 in groups of 32, N 37, codes in, bias, residual, float out.</summary>
internal readonly struct GroupedK64G32N37Residual : IGemmShape
{
    public int K => 64; public int N => 37; public int GroupSize => 32; public GemmInput Input => GemmInput.Codes;
    public bool HasBias => true; public bool Gelu => false; public bool Residual => true; public bool QuantizeOutput => false;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>K 40, N 23, float in (quantized while loading), bias, GELU, quantized out: the fused MLP-up layer.</summary>
internal readonly struct FloatInGeluRequantK40N23 : IGemmShape
{
    public int K => 40; public int N => 23; public int GroupSize => 40; public GemmInput Input => GemmInput.Float;
    public bool HasBias => true; public bool Gelu => true; public bool Residual => false; public bool QuantizeOutput => true;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>K 100, N 19, codes in, no bias, float out: with unit scales the outputs are the accumulators.</summary>
internal readonly struct AccumulatorK100N19 : IGemmShape
{
    public int K => 100; public int N => 19; public int GroupSize => 100; public GemmInput Input => GemmInput.Codes;
    public bool HasBias => false; public bool Gelu => false; public bool Residual => false; public bool QuantizeOutput => false;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>Patch embedding: 7×7 stride 4 padding 3 over a planar 3×13×11 image (K 147, N 8), bias.</summary>
internal readonly struct PatchEmbed3x13x11 : IGemmShape
{
    public int K => 147; public int N => 8; public int GroupSize => 147; public GemmInput Input => GemmInput.Im2ColPlanar;
    public bool HasBias => true; public bool Gelu => false; public bool Residual => false; public bool QuantizeOutput => false;
    public int ConvChannels => 3; public int ConvHeight => 13; public int ConvWidth => 11; public int ConvKernel => 7; public int ConvStride => 4; public int ConvPadding => 3;
}

/// <summary>3×3 stride 2 padding 1 over a channels-last 9×7×5 map (K 45, N 6), bias.</summary>
internal readonly struct Conv3x3ChannelsLast : IGemmShape
{
    public int K => 45; public int N => 6; public int GroupSize => 45; public GemmInput Input => GemmInput.Im2ColChannelsLast;
    public bool HasBias => true; public bool Gelu => false; public bool Residual => false; public bool QuantizeOutput => false;
    public int ConvChannels => 5; public int ConvHeight => 9; public int ConvWidth => 7; public int ConvKernel => 3; public int ConvStride => 2; public int ConvPadding => 1;
}

/// <summary>Float layer K 37, N 21, float in, bias, GELU, residual, float out.</summary>
internal readonly struct FloatK37N21GeluResidual : IGemmShape
{
    public int K => 37; public int N => 21; public int GroupSize => 37; public GemmInput Input => GemmInput.Float;
    public bool HasBias => true; public bool Gelu => true; public bool Residual => true; public bool QuantizeOutput => false;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}

/// <summary>Float layer K 37, N 21, no bias, output quantized for a quantized consumer.</summary>
internal readonly struct FloatK37N21Requant : IGemmShape
{
    public int K => 37; public int N => 21; public int GroupSize => 37; public GemmInput Input => GemmInput.Float;
    public bool HasBias => false; public bool Gelu => false; public bool Residual => false; public bool QuantizeOutput => true;
    public int ConvChannels => 0; public int ConvHeight => 0; public int ConvWidth => 0; public int ConvKernel => 0; public int ConvStride => 0; public int ConvPadding => 0;
}
