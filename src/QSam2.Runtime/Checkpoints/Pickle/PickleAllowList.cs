namespace QSam2.Runtime.Checkpoints.Pickle;

/// <summary>
/// The only globals a state-dict pickle may name, like PyTorch's <c>weights_only=True</c>:
/// anything else (<c>os.system</c>, <c>builtins.eval</c>, a model class) is refused before it
/// could be used, so loading a checkpoint never executes code.
/// </summary>
internal static class PickleAllowList
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    public const string RebuildParameter = "torch._utils._rebuild_parameter";
    public const string FloatStorage = "torch.FloatStorage";

    /// <summary>Legacy typed-storage classes (the persistent id names one) and their element size in bytes.</summary>
    public static readonly IReadOnlyDictionary<string, int> StorageTypes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["torch.FloatStorage"] = 4,
        ["torch.DoubleStorage"] = 8,
        ["torch.HalfStorage"] = 2,
        ["torch.BFloat16Storage"] = 2,
        ["torch.LongStorage"] = 8,
        ["torch.IntStorage"] = 4,
        ["torch.ShortStorage"] = 2,
        ["torch.CharStorage"] = 1,
        ["torch.ByteStorage"] = 1,
        ["torch.BoolStorage"] = 1,
        ["torch.ComplexFloatStorage"] = 8,
        ["torch.ComplexDoubleStorage"] = 16,
    };

    public static bool IsAllowed(string module, string name)
    {
        var full = module + "." + name;
        return full is OrderedDict or RebuildTensorV2 or RebuildParameter || StorageTypes.ContainsKey(full);
    }
}
