using System.Text;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// The outcome of <see cref="StateDictCheck.Strict"/>, the same three lists PyTorch's strict
/// <c>load_state_dict</c> reports: missing keys, unexpected keys, size mismatches.
/// </summary>
public sealed class StateDictCheckResult
{
    internal StateDictCheckResult(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> mismatched)
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>Expected keys the state dict lacks, in expected order.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>State-dict keys the model does not have, in file order.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys present on both sides with different shapes, in expected order.</summary>
    public IReadOnlyList<ShapeMismatch> Mismatched { get; }

    public bool IsMatch => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>"state dict matches" or one line per problem, grouped like PyTorch's error.</summary>
    public string Message
    {
        get
        {
            if (IsMatch) return "state dict matches the expected keys and shapes";
            var sb = new StringBuilder();
            sb.Append("state dict does not match the model: ")
              .Append($"{Missing.Count} missing, {Unexpected.Count} unexpected, {Mismatched.Count} mis-shaped key(s)");
            foreach (var k in Missing) sb.Append("\n  missing key: ").Append(k);
            foreach (var k in Unexpected) sb.Append("\n  unexpected key: ").Append(k);
            foreach (var m in Mismatched) sb.Append("\n  size mismatch for ").Append(m);
            return sb.ToString();
        }
    }

    /// <summary>Throws with <see cref="Message"/> (prefixed by <paramref name="source"/>, e.g. the checkpoint path) unless the check passed.</summary>
    /// <exception cref="InvalidDataException">The state dict does not match.</exception>
    public void ThrowIfMismatch(string source)
    {
        if (!IsMatch) throw new InvalidDataException($"{source}: {Message}");
    }

    public override string ToString() => Message;
}
