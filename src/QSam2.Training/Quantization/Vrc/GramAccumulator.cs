using static TorchSharp.torch;

namespace QSam2.Training.Quantization.Vrc;

/// <summary>
/// Streams a Linear layer's inputs into <c>G = XᵀX</c> (float64, <c>[d_in, d_in]</c>), the row sum and the row count,
/// where X stacks every token of every calibration image as a row. This is all the closed-form calibration needs,
/// so the activations themselves are never stored.
/// </summary>
public sealed class GramAccumulator : IDisposable
{
    private Tensor? _gram;
    private Tensor? _sum;

    public GramAccumulator(long inputDim)
    {
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "input dimension must be positive");
        InputDim = inputDim;
    }

    public long InputDim { get; }

    /// <summary>Rows (tokens) accumulated so far.</summary>
    public long Rows { get; private set; }

    /// <summary><c>XᵀX</c> so far (float64, on the CPU).</summary>
    public Tensor Gram => _gram ?? zeros(new[] { InputDim, InputDim }, dtype: ScalarType.Float64);

    /// <summary>Column sums of X (float64).</summary>
    public Tensor Sum => _sum ?? zeros(new[] { InputDim }, dtype: ScalarType.Float64);

    /// <summary>Mean input row (float64).</summary>
    public Tensor Mean => Rows == 0 ? zeros(new[] { InputDim }, dtype: ScalarType.Float64) : Sum / Rows;

    /// <summary>Adds the rows of <paramref name="x"/> (any shape ending in <c>d_in</c>).</summary>
    public void Add(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.shape[^1] != InputDim) throw new ArgumentException($"input has {x.shape[^1]} features, expected {InputDim}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = x.detach().reshape(-1, InputDim).to_type(ScalarType.Float64).cpu();
        var g = rows.t().matmul(rows);
        var s = rows.sum(new long[] { 0 }); // an int literal 0 would bind to sum(ScalarType)
        if (_gram is null)
        {
            _gram = g.DetachFromDisposeScope();
            _sum = s.DetachFromDisposeScope();
        }
        else
        {
            _gram.add_(g);
            _sum!.add_(s);
        }
        Rows += rows.shape[0];
    }

    public void Dispose()
    {
        _gram?.Dispose();
        _sum?.Dispose();
    }
}
