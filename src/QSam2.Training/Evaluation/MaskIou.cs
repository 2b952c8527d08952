using QSam2.Training.Training;

namespace QSam2.Training.Evaluation;

/// <summary>Intersection over union of two binary masks of one size.</summary>
public static class MaskIou
{
    /// <summary>
    /// |A ∩ B| / |A ∪ B|; two empty masks agree perfectly and give 1.0 (the SA-V/DAVIS J convention), which is
    /// what model-against-model agreement needs on objects both models miss.
    /// </summary>
    public static double Compute(BinaryMask a, BinaryMask b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"masks differ in size: {a.Width}x{a.Height} vs {b.Width}x{b.Height}");
        long inter = 0, union = 0;
        var da = a.Data;
        var db = b.Data;
        for (int i = 0; i < da.Length; i++)
        {
            bool x = da[i] != 0, y = db[i] != 0;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1.0 : (double)inter / union;
    }
}
