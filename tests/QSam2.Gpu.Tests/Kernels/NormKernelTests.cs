using QSam2.Gpu.Kernels;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>
/// LayerNorm and row softmax against the CPU path's kernels (the device reproduces the AVX2 versions' order, so they are
/// bit-identical on the CPU accelerator when the CPU path runs AVX2) and, within rounding, against the scalar references.
/// </summary>
[Trait("Category", "Cuda")]
public class NormKernelTests
{
    [Theory]
    [InlineData(37, 96, 1e-6f)]
    [InlineData(5, 33, 1e-5f)]
    public void LayerNorm_MatchesReference(int rows, int dim, float eps)
    {
        var r = new Random(rows * dim);
        var x = Data.Floats(r, rows * dim, 4f);
        for (int i = 0; i < dim; i++) x[i] += 50f; // a row with a large mean: the two-pass variance must hold up
        var gamma = Data.Positive(r, dim, 0.5f, 1.5f);
        var beta = Data.Floats(r, dim, 0.1f);
        var expected = new float[rows * dim];
        LayerNormKernels.LayerNorm(x, expected, rows, dim, dim, gamma, beta, eps);
        var reference = new float[rows * dim];
        LayerNormKernels.LayerNorm_Reference(x, reference, rows, dim, dim, gamma, beta, eps);

        using var arena = new TestArena();
        long input = arena.Put(x);
        long output = arena.Reserve(4L * rows * dim);
        GpuSam2Ops.LayerNorm(arena.Backend, input, output, rows, dim, gamma, beta, eps);
        var actual = arena.Floats(output, rows * dim);
        Compare.Close(expected, actual, "LayerNorm vs the CPU path", TestDevice.ExactAgainstSimd ? 0f : 1e-5f);
        Compare.Close(reference, actual, "LayerNorm vs LayerNorm_Reference", 1e-5f);

        // In place (input and output alias), as the generated steps may do.
        GpuSam2Ops.LayerNorm(arena.Backend, input, input, rows, dim, gamma, beta, eps);
        Compare.Close(expected, arena.Floats(input, rows * dim), "LayerNorm in place", TestDevice.ExactAgainstSimd ? 0f : 1e-5f);
    }

    [Fact]
    public void SoftmaxRows_MatchesReference()
    {
        const int rows = 11, cols = 67, ld = 70;
        var r = new Random(5);
        var x = Data.Floats(r, rows * ld, 30f);
        var expected = (float[])x.Clone();
        SoftmaxKernels.Softmax_Rows(x, expected, rows, cols, ld, 0.125f);
        var reference = (float[])x.Clone();
        SoftmaxKernels.Softmax_Rows_Reference(x, reference, rows, cols, ld, 0.125f);

        using var arena = new TestArena();
        long at = arena.Put(x);
        var g = arena.Backend;
        var view = g.F(at, rows * ld);
        GpuLaunch.SoftmaxRows(g.Device, view, view, rows, cols, ld, 0.125f);
        var actual = arena.Floats(at, rows * ld);
        Compare.Close(expected, actual, "softmax vs the CPU path", TestDevice.ExactAgainstSimd ? 0f : 1e-5f);
        Compare.Close(reference, actual, "softmax vs Softmax_Rows_Reference", 1e-5f);
    }
}
