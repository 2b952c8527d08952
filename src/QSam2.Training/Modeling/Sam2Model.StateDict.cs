using QSam2.Runtime.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace QSam2.Training.Modeling;

public sealed partial class Sam2Model
{
    /// <summary>
    /// Every parameter and persistent buffer under its official key, in the reference's state-dict order
    /// (a module's own tensors, then its children in registration order).
    /// </summary>
    public IReadOnlyList<(string Key, Tensor Tensor)> OfficialTensors()
    {
        var list = new List<(string, Tensor)>();
        Collect(this, "", list);
        return list;
    }

    /// <summary>Official keys and shapes this model expects (what a strict load checks against).</summary>
    public IEnumerable<(string Key, int[] Shape)> ExpectedShapes() =>
        OfficialTensors().Select(p => (p.Key, p.Tensor.shape.Select(d => checked((int)d)).ToArray()));

    /// <summary>
    /// Strict load: the key set and every shape must equal the model's, otherwise nothing is copied and the exception
    /// lists all missing, unexpected and mis-shaped keys.
    /// </summary>
    /// <param name="source">Names the origin (e.g. the checkpoint path) in error messages.</param>
    /// <exception cref="InvalidDataException">The state dict does not match this architecture.</exception>
    public void LoadStateDict(StateDict sd, string source = "state dict")
    {
        ArgumentNullException.ThrowIfNull(sd);
        var targets = OfficialTensors();
        StateDictCheck.Strict(sd, targets.Select(p => (p.Key, p.Tensor.shape.Select(d => checked((int)d)).ToArray()))).ThrowIfMismatch(source);
        using var noGrad = no_grad();
        foreach (var (key, target) in targets)
        {
            var data = sd[key];
            using var src = tensor(data.Data, data.LongShape, dtype: ScalarType.Float32);
            target.copy_(src);
        }
    }

    /// <summary>All weights as float32 host tensors under the official keys, for <c>CheckpointWriter</c>.</summary>
    public StateDict ExportStateDict()
    {
        var items = new List<(string, TensorData)>();
        foreach (var (key, t) in OfficialTensors())
        {
            using var host = t.detach().to_type(ScalarType.Float32).cpu().contiguous();
            var shape = host.shape.Select(d => checked((int)d)).ToArray();
            items.Add((key, new TensorData(shape, host.data<float>().ToArray())));
        }
        return new StateDict(items);
    }

    private static void Collect(nn.Module module, string prefix, List<(string, Tensor)> into)
    {
        foreach (var (name, p) in module.named_parameters(recurse: false)) into.Add((prefix + name, p));
        foreach (var (name, b) in module.named_buffers(recurse: false, include_nonpersistent: false)) into.Add((prefix + name, b));
        foreach (var (name, child) in module.named_children()) Collect(child, prefix + name + ".", into);
    }
}
