using QSam2.Spec.Diagnostics;

namespace QSam2.Spec.Quant;

/// <summary>
/// One entry of a quant spec's <c>layers</c> object: an official layer name (state-dict key prefix,
/// e.g. <c>image_encoder.trunk.blocks.3.attn.qkv</c>) or a pattern with <c>*</c> wildcards, the
/// setting it applies, and where the key sits in the JSON (diagnostics underline it).
/// </summary>
public sealed record QuantLayerRule(string Pattern, QuantLayerConfig Config, TextPosition Position, int Length)
{
    public bool IsPattern => Pattern.IndexOf('*') >= 0;

    /// <summary>Glob match: <c>*</c> matches any run of characters (dots included).</summary>
    public bool Matches(string layerName) => Glob(Pattern, 0, layerName, 0);

    private static bool Glob(string p, int i, string s, int j)
    {
        while (i < p.Length)
        {
            if (p[i] == '*')
            {
                while (i < p.Length && p[i] == '*') i++;
                if (i == p.Length) return true;
                for (int k = j; k <= s.Length; k++)
                    if (Glob(p, i, s, k)) return true;
                return false;
            }
            if (j >= s.Length || p[i] != s[j]) return false;
            i++;
            j++;
        }
        return j == s.Length;
    }
}
