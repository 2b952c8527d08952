using System.Globalization;

namespace QSam2.Training.Quantization.Experiment;

/// <summary>A column of the comparison: weight and activation bits, e.g. W4A8.</summary>
public readonly record struct BitConfig(int WeightBits, int ActivationBits)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"W{WeightBits}A{ActivationBits}");

    /// <summary>Parses <c>W4A8</c> (case-insensitive).</summary>
    public static BitConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToUpperInvariant();
        int a = t.IndexOf('A', StringComparison.Ordinal);
        if (t.Length < 4 || t[0] != 'W' || a < 2
            || !int.TryParse(t.AsSpan(1, a - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(t.AsSpan(a + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int act))
        {
            throw new ArgumentException($"'{text}' is not a bit configuration like W4A8");
        }
        if (w is not (2 or 3 or 4 or 8)) throw new ArgumentException($"'{text}': weight bits must be 2, 3, 4 or 8");
        if (act is < 2 or > 8) throw new ArgumentException($"'{text}': activation bits must be 2..8");
        return new BitConfig(w, act);
    }

    /// <summary>The paper's comparison columns plus the W8A8 sanity check.</summary>
    public static IReadOnlyList<BitConfig> Defaults { get; } = new[] { new BitConfig(8, 8), new BitConfig(4, 8), new BitConfig(4, 4), new BitConfig(3, 4), new BitConfig(2, 4) };
}
