namespace QSam2.Runtime.Checkpoints;

/// <summary>Compares a state dict with a model's expected key/shape inventory, like a strict <c>load_state_dict</c>.</summary>
public static class StateDictCheck
{
    /// <param name="sd">What the checkpoint holds.</param>
    /// <param name="expected">What the model needs, e.g. from the architecture expansion; keys must be unique.</param>
    /// <exception cref="ArgumentException">An expected key appears twice.</exception>
    public static StateDictCheckResult Strict(StateDict sd, IEnumerable<(string Key, int[] Shape)> expected)
    {
        ArgumentNullException.ThrowIfNull(sd);
        ArgumentNullException.ThrowIfNull(expected);
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, shape) in expected)
        {
            if (!seen.Add(key)) throw new ArgumentException($"expected key '{key}' appears twice", nameof(expected));
            if (!sd.TryGetValue(key, out var tensor)) missing.Add(key);
            else if (!tensor.HasShape(shape)) mismatched.Add(new ShapeMismatch(key, (int[])shape.Clone(), tensor.Shape));
        }
        var unexpected = sd.Keys.Where(k => !seen.Contains(k)).ToList();
        return new StateDictCheckResult(missing, unexpected, mismatched);
    }
}
