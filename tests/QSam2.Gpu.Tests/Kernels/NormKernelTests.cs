using QSam2.Gpu.Kernels;
using QSam2.Gpu.Segmenters;
using QSam2.Gpu.Tests.Infrastructure;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Gpu.Tests.Kernels;

/// <summary>LayerNorm and row softmax against the scalar references (bit-identical on the CPU accelerator).</summary>
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
        LayerNormKernels.LayerNorm_Reference(x, expected, rows, dim, dim, gamma, beta, eps);

        using var arena = new TestArena();
        long input = arena.Put(x);
        long output = arena.Reserve(4L * rows * dim);
        GpuSam2Ops.LayerNorm(arena.Backend, input, output, rows, dim, gamma, beta, eps);
        Compare.Floats(expected, arena.Floats(output, rows * dim), "LayerNorm");

        // In place (input and output alias), as the generated steps may do.
        GpuSam2Ops.LayerNorm(arena.Backend, input, input, rows, dim, gamma, beta, eps);
        Compare.Floats(expected, arena.Floats(input, rows * dim), "LayerNorm in place");
    }

    [Fact]
    public void SoftmaxRows_MatchesReference()
    {
        const int rows = 11, cols = 67, ld = 70;
        var r = new Random(5);
        var x = Data.Floats(r, rows * ld, 30f);
        var expected = (float[])x.Clone();
        SoftmaxKernels.Softmax_Rows_Reference(x, expected, rows, cols, ld, 0.125f);

        using var arena = new TestArena();
        long at = arena.Put(x);
        var g = arena.Backend;
        var view = g.F(at, rows * ld);
        GpuLaunch.SoftmaxRows(g.Device, view, view, rows, cols, ld, 0.125f);
        Compare.Floats(expected, arena.Floats(at, rows * ld), "softmax");
    }
}
