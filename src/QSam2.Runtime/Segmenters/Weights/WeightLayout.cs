namespace QSam2.Runtime.Segmenters;

/// <summary>How an official weight tensor is viewed as the [N, K] matrix of a GEMM.</summary>
public enum WeightLayout
{
    /// <summary><c>nn.Linear</c> [out, in]: N = out, K = in.</summary>
    Linear,
    /// <summary><c>nn.Conv2d</c> [out, in, kh, kw]: N = out, K = in·kh·kw (im2col order c, ky, kx).</summary>
    Conv,
    /// <summary><c>nn.ConvTranspose2d</c> [in, out, kh, kw]: N = out·kh·kw (column n = (o·kh + a)·kw + b... see <see cref="LinearLayer"/>), K = in.</summary>
    ConvTranspose,
}
