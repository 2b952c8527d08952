namespace QSam2.Spec.Schema;

/// <summary>Finds the known field name a misspelt one most likely meant (camelCase, typos), for error messages.</summary>
public static class NameSuggester
{
    public static string? Suggest(string unknown, IEnumerable<string> known)
    {
        string Canon(string s) => new string(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        var u = Canon(unknown);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            if (Canon(k) == u) return k;
            int d = Distance(unknown.ToLowerInvariant(), k);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        // Only suggest close matches; a far-off "suggestion" is noise.
        return bestDistance <= Math.Max(1, Math.Min(3, unknown.Length / 3)) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
