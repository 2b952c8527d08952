using QSam2.Spec.Model;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

/// <summary>
/// Memory-encoder mask downsampler (<c>mask_downsampler.encoder.{i}</c>): log_stride(total_stride) repetitions of
/// strided conv (channels ×stride²) → LayerNorm2d → GELU, then a 1×1 conv to embed_dim.
/// </summary>
public sealed class MaskDownSampler : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "encoder")] private readonly Sequential _encoder;

    public MaskDownSampler(MemoryEncoderSpec spec) : base(nameof(MaskDownSampler))
    {
        int stride = spec.MaskDownsamplerStride, total = spec.MaskDownsamplerTotalStride;
        if (stride < 2) throw new ArgumentException($"memory_encoder.mask_downsampler_stride = {stride} must be at least 2", nameof(spec));
        var numLayers = 0;
        for (var s = 1; s < total; s *= stride) numLayers++;
        if ((int)Math.Pow(stride, numLayers) != total)
            throw new ArgumentException($"memory_encoder.mask_downsampler_total_stride = {total} is not a power of the stride {stride}", nameof(spec));

        _encoder = nn.Sequential();
        long inCh = 1, outCh = 1;
        for (var i = 0; i < numLayers; i++)
        {
            outCh = inCh * stride * stride;
            _encoder.append(nn.Conv2d(inCh, outCh, spec.MaskDownsamplerKernelSize, stride: stride, padding: spec.MaskDownsamplerPadding));
            _encoder.append(new LayerNorm2d(outCh, spec.LayerNormEps));
            _encoder.append(nn.GELU());
            inCh = outCh;
        }
        _encoder.append(nn.Conv2d(outCh, spec.MaskDownsamplerEmbedDim, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _encoder.call(x);
}
