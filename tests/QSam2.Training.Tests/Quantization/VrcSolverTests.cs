using QSam2.Training.Quantization.Vrc;
using static TorchSharp.torch;

namespace QSam2.Training.Tests.Quantization;

public class VrcSolverTests
{
    private static Tensor Random(long[] shape, int seed)
    {
        var g = new Generator((ulong)seed);
        return randn(shape, dtype: ScalarType.Float64, generator: g);
    }

    private static double MaxAbsDiff(Tensor a, Tensor b) => (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(2.0)]
    public void Tikhonov_EqualsDirectRegularizedLeastSquares(double relative)
    {
        using var scope = NewDisposeScope();
        long n = 300, dIn = 10, dOut = 6;
        // Anisotropic inputs so λ matters: column scales from 0.01 to 10.
        var x = Random(new[] { n, dIn }, 1) * logspace(-2, 1, dIn, dtype: ScalarType.Float64).unsqueeze(0);
        var w = Random(new[] { dOut, dIn }, 2);
        var g = x.t().matmul(x);
        var solution = VrcSolver.Solve(w, g, VrcVariant.Tikhonov, relative);
        double lambda = relative * g.trace().item<double>() / dIn;
        Assert.Equal(lambda, solution.Lambda, 9);

        // Independent reference: min ‖XŴᵀ − Y‖² + λ‖Ŵ‖² with Y = XWᵀ, solved as an ordinary least-squares problem
        // on the stacked system [X; √λ I] Ŵᵀ = [Y; 0].
        var y = x.matmul(w.t());
        var a = cat(new[] { x, eye(dIn, dtype: ScalarType.Float64) * Math.Sqrt(lambda) }, 0);
        var bStack = cat(new[] { y, zeros(new[] { dIn, dOut }, dtype: ScalarType.Float64) }, 0);
        var direct = linalg.lstsq(a, bStack).Solution.t();
        Assert.True(MaxAbsDiff(solution.Weight, direct) < 1e-9, $"closed form differs from least squares by {MaxAbsDiff(solution.Weight, direct)}");
        // Shrinkage never grows the weight.
        Assert.True(solution.Weight.norm().item<double>() <= w.norm().item<double>() + 1e-12);
    }

    [Fact]
    public void LambdaZero_FullRank_LeavesWeightUnchanged()
    {
        using var scope = NewDisposeScope();
        var x = Random(new[] { 200L, 12 }, 3);
        var w = Random(new[] { 5L, 12 }, 4).to_type(ScalarType.Float32);
        var solution = VrcSolver.Solve(w, x.t().matmul(x), VrcVariant.Tikhonov, 0);
        Assert.Equal(12, solution.KeptDirections);
        Assert.True(MaxAbsDiff(solution.Weight, w) < 1e-6);
        // A vanishing λ converges to the same point.
        var tiny = VrcSolver.Solve(w, x.t().matmul(x), VrcVariant.Tikhonov, 1e-12);
        Assert.True(MaxAbsDiff(tiny.Weight, w) < 1e-5);
    }

    [Fact]
    public void LambdaZero_RankDeficient_ProjectsOntoTheRowSpaceOfX()
    {
        using var scope = NewDisposeScope();
        // X spans only 3 of 8 input directions.
        var x = Random(new[] { 100L, 3 }, 5).matmul(Random(new[] { 3L, 8 }, 6));
        var w = Random(new[] { 4L, 8 }, 7);
        var solution = VrcSolver.Solve(w, x.t().matmul(x), VrcVariant.Tikhonov, 0);
        var projector = linalg.pinv(x).matmul(x); // orthogonal projector onto the row space of X
        Assert.True(MaxAbsDiff(solution.Weight, w.matmul(projector)) < 1e-8);
        // The outputs on the calibration data are unchanged.
        Assert.True(MaxAbsDiff(x.matmul(solution.Weight.t()), x.matmul(w.t())) < 1e-8);
    }

    [Fact]
    public void Truncated_RemovesExactlyTheCutDirections()
    {
        using var scope = NewDisposeScope();
        long d = 6;
        var (q, _) = linalg.qr(Random(new[] { d, d }, 8)); // random orthonormal eigenvectors (columns)
        var eigen = tensor(new[] { 100.0, 40.0, 8.0, 1.0, 0.2, 0.01 }, dtype: ScalarType.Float64);
        var g = q.matmul(diag(eigen)).matmul(q.t());
        var w = Random(new[] { 3L, d }, 9);
        // Cutoff 0.05 of the largest eigenvalue = 5: keeps the directions with 100, 40 and 8.
        var solution = VrcSolver.Solve(w, g, VrcVariant.Truncated, 0.05, VrcScale.MaxEigenvalue);
        Assert.Equal(3, solution.KeptDirections);
        Assert.Equal(5.0, solution.Lambda, 9);
        for (int i = 0; i < d; i++)
        {
            var v = q[.., i];
            var expected = i < 3 ? w.matmul(v) : zeros(3, dtype: ScalarType.Float64);
            Assert.True(MaxAbsDiff(solution.Weight.matmul(v), expected) < 1e-9, $"direction {i} (eigenvalue {eigen[i].item<double>()})");
        }
    }

    [Fact]
    public void GramAccumulator_EqualsXtX_OverBatches()
    {
        using var scope = NewDisposeScope();
        var a = Random(new[] { 2L, 5, 5, 7 }, 10).to_type(ScalarType.Float32);
        var b = Random(new[] { 13L, 7 }, 11).to_type(ScalarType.Float32);
        using var acc = new GramAccumulator(7);
        acc.Add(a);
        acc.Add(b);
        var x = cat(new[] { a.reshape(-1, 7), b }, 0).to_type(ScalarType.Float64);
        Assert.Equal(63, acc.Rows);
        Assert.True(MaxAbsDiff(acc.Gram, x.t().matmul(x)) < 1e-9, $"gram differs by {MaxAbsDiff(acc.Gram, x.t().matmul(x))}, sum {acc.Gram.sum().item<double>()} vs {x.t().matmul(x).sum().item<double>()}");
        Assert.True(MaxAbsDiff(acc.Mean, x.mean(new long[] { 0 })) < 1e-12, $"mean differs by {MaxAbsDiff(acc.Mean, x.mean(new long[] { 0 }))}");
    }
}
