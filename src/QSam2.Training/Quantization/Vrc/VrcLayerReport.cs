namespace QSam2.Training.Quantization.Vrc;

/// <summary>
/// What VRC did to one Linear: weight variance and Frobenius norm before and after, the relative change of the
/// float output on the calibration data (<c>‖ΔY‖²/‖Y‖²</c>, exact from G), the λ / cutoff used and the directions kept.
/// </summary>
public sealed record VrcLayerReport(
    string Layer,
    int InputDim,
    int OutputDim,
    long Rows,
    double VarianceBefore,
    double VarianceAfter,
    double FrobeniusBefore,
    double FrobeniusAfter,
    double MaxAbsBefore,
    double MaxAbsAfter,
    double OutputRelativeChange,
    double Lambda,
    int KeptDirections,
    double ConditionNumber);
